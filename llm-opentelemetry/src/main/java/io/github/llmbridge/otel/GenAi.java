package io.github.llmbridge.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The names this module emits: OpenTelemetry's GenAI semantic conventions at version
 * {@value #SEMCONV_VERSION} (status "Development"; {@value #SCHEMA_URL}), as published in the
 * conventions' own repository, {@code open-telemetry/semantic-conventions-genai}, where they moved
 * in 2026 from {@code open-telemetry/semantic-conventions} ({@code docs/gen-ai/gen-ai-spans.md},
 * {@code gen-ai-metrics.md}, {@code gen-ai-events.md}), plus the library's own, under
 * {@code llm_bridge.}. {@code docs/WIRE.md} records where each was confirmed.
 *
 * <p>{@code error.type} is the {@link io.github.llmbridge.core.ErrorCategory} in lower case:
 * {@code authentication}, {@code permission}, {@code insufficient_credits}, {@code bad_request},
 * {@code model_not_found}, {@code context_length_exceeded}, {@code content_filtered},
 * {@code rate_limited}, {@code timeout}, {@code connection}, {@code server_error},
 * {@code invalid_response}, {@code configuration}, {@code cancelled}, {@code budget_exhausted}.
 */
public final class GenAi {

    /** The version of the GenAI semantic conventions followed. */
    public static final String SEMCONV_VERSION = "1.42.0";

    /** The conventions' schema URL, set on the tracer, meter and logger. */
    public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/gen-ai/1.42.0";

    /** The instrumentation scope's name. */
    public static final String SCOPE = "io.github.llmbridge";

    /** The opt-in value of {@code OTEL_SEMCONV_STABILITY_OPT_IN} for the latest GenAI conventions only. */
    public static final String LATEST_EXPERIMENTAL = "gen_ai_latest_experimental";

    /** The operation name of a chat completion. */
    public static final String CHAT = "chat";

    // ---- spans (gen-ai-spans.md, "Inference") ----
    static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
    /** Deprecated name of {@link #PROVIDER_NAME} (1.36.0 and before), added unless the user opted in to the latest. */
    static final AttributeKey<String> SYSTEM = stringKey("gen_ai.system");

    static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Double> REQUEST_TOP_P = doubleKey("gen_ai.request.top_p");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
    static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES = stringArrayKey("gen_ai.request.stop_sequences");
    static final AttributeKey<Long> REQUEST_SEED = longKey("gen_ai.request.seed");
    static final AttributeKey<Long> REQUEST_CHOICE_COUNT = longKey("gen_ai.request.choice.count");
    static final AttributeKey<Double> REQUEST_FREQUENCY_PENALTY = doubleKey("gen_ai.request.frequency_penalty");
    static final AttributeKey<Double> REQUEST_PRESENCE_PENALTY = doubleKey("gen_ai.request.presence_penalty");
    static final AttributeKey<Boolean> REQUEST_STREAM = booleanKey("gen_ai.request.stream");
    static final AttributeKey<String> OUTPUT_TYPE = stringKey("gen_ai.output.type");
    static final AttributeKey<String> CONVERSATION_ID = stringKey("gen_ai.conversation.id");

    static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
    static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
    static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    /** Seconds from the request to the first chunk of a streamed reply ("Recommended if the request was a streaming request"). */
    static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK = doubleKey("gen_ai.response.time_to_first_chunk");

    static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS = longKey("gen_ai.usage.reasoning.output_tokens");

    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
    static final AttributeKey<Long> HTTP_STATUS = longKey("http.response.status_code");

    /** Opt-in content (recorded as JSON strings, as the conventions allow on spans). */
    static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");

    static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");

    // ---- metrics (gen-ai-metrics.md) ----
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Streamed calls only: request to first chunk, in seconds (same advised buckets as the duration). */
    static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
    /** Streamed calls only: the gap before each chunk after the first, in seconds (same advised buckets). */
    static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";

    static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");
    /** Advised buckets of {@value #TOKEN_USAGE}. */
    static final List<Long> TOKEN_BUCKETS = List.of(
            1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L, 67108864L);
    /** Advised buckets of {@value #OPERATION_DURATION}, in seconds. */
    static final List<Double> DURATION_BUCKETS =
            List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

    // ---- events (gen-ai-events.md) ----
    static final String EVALUATION_RESULT = "gen_ai.evaluation.result";
    static final AttributeKey<String> EVALUATION_NAME = stringKey("gen_ai.evaluation.name");
    static final AttributeKey<Double> EVALUATION_SCORE_VALUE = doubleKey("gen_ai.evaluation.score.value");
    static final AttributeKey<String> EVALUATION_SCORE_LABEL = stringKey("gen_ai.evaluation.score.label");
    static final AttributeKey<String> EVALUATION_EXPLANATION = stringKey("gen_ai.evaluation.explanation");

    // ---- the library's own ----
    static final AttributeKey<String> SESSION_NAME = stringKey("llm_bridge.session.name");
    static final AttributeKey<Double> COST = doubleKey("llm_bridge.cost");
    static final AttributeKey<Long> ATTEMPTS = longKey("llm_bridge.attempts");
    static final AttributeKey<Long> ATTEMPT_NUMBER = longKey("llm_bridge.attempt.number");
    static final AttributeKey<Double> ATTEMPT_WAIT_AFTER = doubleKey("llm_bridge.attempt.wait_after");
    static final AttributeKey<Boolean> FAIL_OPEN = booleanKey("llm_bridge.fail_open");
    /** Streamed calls: the chunks passed on to the caller (all attempts'). */
    static final AttributeKey<Long> STREAM_CHUNKS = longKey("llm_bridge.stream.chunks");

    static final AttributeKey<String> OUTCOME = stringKey("llm_bridge.outcome");

    private GenAi() {}
}
