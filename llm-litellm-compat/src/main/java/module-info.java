/** The {@code litellm} backend: {@code LiteLlmChatClient} for a LiteLLM proxy, and {@code LiteLlmServer}. */
module io.github.llmbridge.litellm {
    requires transitive io.github.llmbridge.core;
    requires org.slf4j;

    exports io.github.llmbridge.litellm;

    provides io.github.llmbridge.core.config.ChatClientProvider with
            io.github.llmbridge.litellm.LiteLlmProvider;
    provides io.github.llmbridge.core.settings.ConfigVariableSource with
            io.github.llmbridge.litellm.LiteLlmVariables;
}
