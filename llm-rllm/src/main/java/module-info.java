/**
 * The {@code rllm} backend: agent calls through rLLM's model gateway ({@code RllmChatClient}) and the
 * trainer's side of the gateway ({@code RllmGateway}: sessions, traces, flush, workers, health).
 */
module io.github.llmbridge.rllm {
    requires transitive io.github.llmbridge.core;
    requires org.slf4j;

    exports io.github.llmbridge.rllm;

    provides io.github.llmbridge.core.config.ChatClientProvider with
            io.github.llmbridge.rllm.RllmProvider;
    provides io.github.llmbridge.core.settings.ConfigVariableSource with
            io.github.llmbridge.rllm.RllmVariables;
}
