/**
 * The transport: one chat-completions exchange over {@code java.net.http} with Jackson, shared by
 * every backend. It writes the request JSON, runs the HTTP exchange on a bounded executor, caps and
 * reads the reply, and hands every failure to {@link io.github.llmbridge.core.internal.errors} to become an
 * {@link io.github.llmbridge.core.LlmException}. Backends add their URL, headers and body fields
 * through {@link io.github.llmbridge.core.internal.transport.OpenAiHttpTransport}, and make their other
 * calls (account, catalogue, health, admin) with {@link io.github.llmbridge.core.internal.transport.JsonHttp},
 * through the same HTTP client and error mapping. Internal to LLM Bridge's modules: exported only
 * to them.
 */
package io.github.llmbridge.core.internal.transport;
