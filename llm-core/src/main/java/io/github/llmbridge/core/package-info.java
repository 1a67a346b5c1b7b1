/**
 * The API of LLM Bridge: what reward code holds and learns. {@link ChatClient} (blocking
 * {@code chat}, non-blocking {@code chatAsync}, {@code chatJson}) is implemented by every backend
 * and by every layer around one. A call is a {@link ChatRequest} built from {@link ChatMessage}s;
 * its reply is a {@link ChatResponse} with its {@link Choice}s, {@link Usage}, {@link FinishReason}
 * and the {@link Attempt}s it took. Every failure is one unchecked {@link LlmException} whose
 * {@link ErrorCategory} a caller can switch on. {@link LlmSession} groups calls (an episode, a
 * step) for tracing and for backends that forward it; {@link JsonReplies} finds the JSON in a model's
 * reply.
 *
 * <p>A first call, with the backend chosen by the environment
 * ({@link io.github.llmbridge.core.config.ChatClients#fromEnv()}):
 *
 * <pre>{@code
 * try (ChatClient client = ChatClients.fromEnv()) {
 *     String answer = client.chat(ChatRequest.builder().model("openai/gpt-4o-mini").user("2+2?").build()).content();
 * }
 * }</pre>
 *
 * <p>The other packages hold what is put around this API: assembly from the environment
 * ({@code core.config}), resilience ({@code core.resilience}), diagnostics ({@code core.check}),
 * HTTP-proxy support ({@code core.httpproxy}) and test doubles ({@code core.testing}); the
 * transport, error mapping and internals are for LLM Bridge's own modules. How they fit together
 * is described in the repository's {@code docs/ARCHITECTURE.md}.
 */
package io.github.llmbridge.core;
