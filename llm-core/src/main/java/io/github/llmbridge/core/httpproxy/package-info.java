/**
 * HTTP forward-proxy support ("proxy" in this package always means the corporate HTTP proxy
 * between this client and the internet, never a gateway backend): the proxy variables
 * ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code ALL_PROXY}, {@code NO_PROXY}, either case, and
 * {@code LLM_PROXY}) read as the JDK does not, credentials for {@code 407} challenges and https
 * tunnels, and the route each target takes. Start at
 * {@link io.github.llmbridge.core.httpproxy.EnvProxySelector}.
 */
package io.github.llmbridge.core.httpproxy;
