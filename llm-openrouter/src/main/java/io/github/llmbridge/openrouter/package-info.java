/**
 * The direct OpenRouter backend ({@code LLM_BACKEND=openrouter} or {@code USE_OPENROUTER_DIRECT=true}).
 *
 * <p>{@link io.github.llmbridge.openrouter.OpenRouterChatClient} is the backend;
 * {@link io.github.llmbridge.openrouter.OpenRouterOptions} types OpenRouter's routing and reasoning
 * body fields; {@link io.github.llmbridge.openrouter.OpenRouterResponse} and
 * {@link io.github.llmbridge.openrouter.OpenRouterError} read OpenRouter's extras from a reply or a
 * failure; {@link io.github.llmbridge.openrouter.OpenRouterAccount} checks the key's credit, a
 * generation's stats and model ids.
 */
package io.github.llmbridge.openrouter;
