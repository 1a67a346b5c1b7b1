package io.github.llmbridge.core;

import java.util.Objects;

/**
 * One of the alternatives a provider returned (usually exactly one).
 *
 * @param index        position in the provider's {@code choices} array
 * @param message      the generated message; its content is {@code ""} when the provider sent null
 * @param finishReason why generation stopped
 */
public record Choice(int index, ChatMessage message, FinishReason finishReason) {

    /** Rejects null parts. */
    public Choice {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(finishReason, "finishReason");
    }
}
