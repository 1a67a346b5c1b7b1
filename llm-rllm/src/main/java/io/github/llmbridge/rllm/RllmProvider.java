package io.github.llmbridge.rllm;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@code rllm} backend with {@code ChatClients.fromEnv()}: selected by
 * {@code LLM_BACKEND=rllm} (it declares no yes/no switch).
 */
public final class RllmProvider implements ChatClientProvider {

    private static final Logger log = LoggerFactory.getLogger(RllmProvider.class);

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public RllmProvider() {}

    @Override
    public String name() {
        return RllmChatClient.BACKEND;
    }

    @Override
    public ChatClient create(Settings settings) {
        RllmChatClient client = RllmChatClient.fromSettings(settings);
        log.info(
                "Calling through rLLM's model gateway at {}{}",
                Secrets.displayUrl(client.gatewayUrl().toString()),
                client.fixedSession().map(s -> ", session " + s).orElse(""));
        return client;
    }
}
