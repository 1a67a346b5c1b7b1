/**
 * The OpenAI-compatible HTTP transport both backends share: request JSON, the HTTP exchange on
 * {@code java.net.http}, reply parsing and the mapping of every failure to an
 * {@link io.github.llmbridge.core.LlmException}. Backends add their URL, headers and body fields.
 */
package io.github.llmbridge.core.http;
