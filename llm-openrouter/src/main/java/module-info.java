/** The {@code openrouter} backend: {@code OpenRouterChatClient}, its options, account and model calls. */
module io.github.llmbridge.openrouter {
    requires transitive io.github.llmbridge.core;
    requires org.slf4j;

    exports io.github.llmbridge.openrouter;

    provides io.github.llmbridge.core.config.ChatClientProvider with
            io.github.llmbridge.openrouter.OpenRouterProvider;
    provides io.github.llmbridge.core.settings.ConfigVariableSource with
            io.github.llmbridge.openrouter.OpenRouterVariables;
}
