package io.github.llmbridge.otel;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.config.ChatClients;
import java.util.Map;

/**
 * A program that builds a {@code fromEnv()} client with the module on its class path, makes one
 * call and prints its class; {@code LLM_OTEL} comes from its argument. It names no OpenTelemetry
 * type, so whatever of OpenTelemetry the JVM loads, the library loaded.
 */
public final class LayerProgram {

    private LayerProgram() {}

    /** Runs the program; the first argument is the value of {@code LLM_OTEL}. */
    public static void main(String[] args) {
        try (ChatClient client = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "LLM_OTEL", args[0]))) {
            client.chat(ChatRequest.builder().model("acme/judge").user("2+2?").build());
            System.out.println("client: " + client.getClass().getSimpleName());
        }
    }
}
