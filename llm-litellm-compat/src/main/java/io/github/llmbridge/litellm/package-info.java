/**
 * The LiteLLM-proxy backend ({@code LLM_BACKEND=litellm}, the default): {@link
 * io.github.llmbridge.litellm.LiteLlmChatClient} for chat calls (sessions and metadata forwarded
 * as {@link io.github.llmbridge.litellm.LiteLlmMetadataMode} says, proxy-side
 * {@link io.github.llmbridge.litellm.LiteLlmOptions}), {@link io.github.llmbridge.litellm.LiteLlmResponse}
 * for LiteLLM's reply headers, and {@link io.github.llmbridge.litellm.LiteLlmServer} for the proxy's
 * health checks and admin calls.
 */
package io.github.llmbridge.litellm;
