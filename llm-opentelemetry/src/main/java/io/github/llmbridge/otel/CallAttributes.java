package io.github.llmbridge.otel;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a request, a reply and a failure into the conventions' attributes. */
final class CallAttributes {

    private CallAttributes() {}

    /** The attributes known when the call starts; the conventions ask for these at span creation (sampling). */
    static AttributesBuilder atStart(
            ChatRequest request, String provider, boolean addSystem, Endpoint endpoint, LlmSession session) {
        AttributesBuilder a = Attributes.builder()
                .put(GenAi.OPERATION_NAME, GenAi.CHAT)
                .put(GenAi.PROVIDER_NAME, provider)
                .put(GenAi.REQUEST_MODEL, request.model());
        if (addSystem) {
            a.put(GenAi.SYSTEM, provider);
        }
        if (endpoint != null) {
            a.put(GenAi.SERVER_ADDRESS, endpoint.address()).put(GenAi.SERVER_PORT, endpoint.port());
        }
        request.temperature().ifPresent(v -> a.put(GenAi.REQUEST_TEMPERATURE, v));
        request.topP().ifPresent(v -> a.put(GenAi.REQUEST_TOP_P, v));
        request.maxTokens().ifPresent(v -> a.put(GenAi.REQUEST_MAX_TOKENS, v));
        request.maxCompletionTokens().ifPresent(v -> a.put(GenAi.REQUEST_MAX_TOKENS, v));
        if (!request.stop().isEmpty()) {
            a.put(GenAi.REQUEST_STOP_SEQUENCES, request.stop());
        }
        request.seed().ifPresent(v -> a.put(GenAi.REQUEST_SEED, v));
        request.n().ifPresent(v -> {
            if (v != 1) {
                a.put(GenAi.REQUEST_CHOICE_COUNT, v);
            }
        });
        request.frequencyPenalty().ifPresent(v -> a.put(GenAi.REQUEST_FREQUENCY_PENALTY, v));
        request.presencePenalty().ifPresent(v -> a.put(GenAi.REQUEST_PRESENCE_PENALTY, v));
        if (request.responseFormat().isPresent()) {
            a.put(GenAi.OUTPUT_TYPE, "json");
        }
        if (session != null) {
            a.put(GenAi.CONVERSATION_ID, session.uid());
            if (!session.name().isEmpty()) {
                a.put(GenAi.SESSION_NAME, session.name());
            }
        }
        return a;
    }

    /** Sets what the reply says: id, model, finish reasons, usage, cost. */
    static void reply(Span span, ChatResponse response) {
        if (!response.id().isEmpty()) {
            span.setAttribute(GenAi.RESPONSE_ID, response.id());
        }
        if (!response.model().isEmpty()) {
            span.setAttribute(GenAi.RESPONSE_MODEL, response.model());
        }
        List<String> reasons = new ArrayList<>(response.choices().size());
        for (Choice c : response.choices()) {
            reasons.add(c.finishReason().value());
        }
        if (!reasons.isEmpty()) {
            span.setAttribute(GenAi.RESPONSE_FINISH_REASONS, reasons);
        }
        if (hasUsage(response)) {
            span.setAttribute(GenAi.USAGE_INPUT_TOKENS, response.usage().promptTokens());
            span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, response.usage().completionTokens());
            span.setAttribute(
                    GenAi.USAGE_CACHE_READ_INPUT_TOKENS, response.usage().cachedTokens());
            span.setAttribute(
                    GenAi.USAGE_REASONING_OUTPUT_TOKENS, response.usage().reasoningTokens());
        }
        response.cost().ifPresent(c -> span.setAttribute(GenAi.COST, c));
    }

    /** Whether the provider reported token counts (the conventions forbid reporting a guess as usage). */
    static boolean hasUsage(ChatResponse response) {
        return response.usage().promptTokens() > 0
                || response.usage().completionTokens() > 0
                || response.usage().totalTokens() > 0;
    }

    /** The {@code error.type} of a failure: its category in lower case (the list is in {@link GenAi}). */
    static String errorType(ErrorCategory category) {
        return category.name().toLowerCase(Locale.ROOT);
    }

    /** The error behind a call's outcome: the exception, or a fail-open reply's error; {@code null} for success. */
    static LlmException errorOf(ChatResponse response, Throwable failure) {
        if (failure != null) {
            return LlmException.from(failure);
        }
        return response == null ? null : response.error().orElse(null);
    }

    /** The attributes of one attempt's child span. */
    static Attributes ofAttempt(Attempt attempt, int number) {
        AttributesBuilder a =
                Attributes.builder().put(GenAi.ATTEMPT_NUMBER, number).put(GenAi.REQUEST_MODEL, attempt.model());
        attempt.status().ifPresent(s -> a.put(GenAi.HTTP_STATUS, s));
        if (!attempt.succeeded()) {
            a.put(GenAi.ERROR_TYPE, errorType(attempt.errorCategory()));
        }
        if (!attempt.waitAfter().isZero()) {
            a.put(GenAi.ATTEMPT_WAIT_AFTER, attempt.waitAfter().toNanos() / 1e9);
        }
        return a.build();
    }
}
