/**
 * Error mapping: turns an HTTP error reply (status, JSON error body, headers) or a transport
 * failure (refused connection, timeout, reset, oversized or malformed body) into an
 * {@link io.github.llmbridge.core.LlmException} with the right
 * {@link io.github.llmbridge.core.ErrorCategory}, retryability, {@code Retry-After} and a message
 * that names the fix. Internal to LLM Bridge's modules: exported only to them.
 */
package io.github.llmbridge.core.internal.errors;
