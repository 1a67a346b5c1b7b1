package io.github.llmbridge.otel;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.budget.SpendingBudget;
import io.github.llmbridge.core.config.TraceBacklog;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one client: the conventions' two client histograms, and the library's own
 * counters and gauges (calls by outcome, retries, fallbacks, the bulkhead, the trace writer, the
 * spending budget). Gauges read the layers beneath through {@code unwrap} when collected, so a
 * layer that is not there reports nothing.
 */
final class ClientMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientMetrics.class);

    private final DoubleHistogram duration;
    private final DoubleHistogram timeToFirstChunk;
    private final DoubleHistogram timePerOutputChunk;
    private final LongHistogram tokens;
    private final LongCounter calls;
    private final LongCounter retries;
    private final LongCounter fallbacks;
    private final List<AutoCloseable> gauges = new ArrayList<>();

    ClientMetrics(Meter meter, ChatClient delegate, String provider) {
        duration = meter.histogramBuilder(GenAi.OPERATION_DURATION)
                .setDescription("GenAI operation duration.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(GenAi.DURATION_BUCKETS)
                .build();
        timeToFirstChunk = meter.histogramBuilder(GenAi.TIME_TO_FIRST_CHUNK)
                .setDescription("Time to receive the first chunk of a streamed reply.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(GenAi.DURATION_BUCKETS)
                .build();
        timePerOutputChunk = meter.histogramBuilder(GenAi.TIME_PER_OUTPUT_CHUNK)
                .setDescription("Time per output chunk of a streamed reply, after the first.")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(GenAi.DURATION_BUCKETS)
                .build();
        tokens = meter.histogramBuilder(GenAi.TOKEN_USAGE)
                .ofLongs()
                .setDescription("Number of input and output tokens used.")
                .setUnit("{token}")
                .setExplicitBucketBoundariesAdvice(GenAi.TOKEN_BUCKETS)
                .build();
        calls = meter.counterBuilder("llm_bridge.client.calls")
                .setDescription("Logical calls, by outcome and error.type.")
                .setUnit("{call}")
                .build();
        retries = meter.counterBuilder("llm_bridge.client.retries")
                .setDescription("Attempts that retried the same model after a failure.")
                .setUnit("{attempt}")
                .build();
        fallbacks = meter.counterBuilder("llm_bridge.client.fallbacks")
                .setDescription("Attempts that moved on to a fallback model.")
                .setUnit("{attempt}")
                .build();
        Attributes backend = Attributes.of(GenAi.PROVIDER_NAME, provider);
        delegate.unwrap(ResilientChatClient.class).ifPresent(r -> {
            gauges.add(meter.gaugeBuilder("llm_bridge.client.concurrency.limit")
                    .ofLongs()
                    .setDescription("Attempts of a model that may be in flight now (adaptive, or the bulkhead size).")
                    .setUnit("{attempt}")
                    .buildWithCallback(m -> r.stats()
                            .concurrency()
                            .forEach(c -> m.record(
                                    c.limit(),
                                    backend.toBuilder()
                                            .put(GenAi.REQUEST_MODEL, c.model())
                                            .build()))));
            gauges.add(meter.counterBuilder("llm_bridge.client.retries_refused")
                    .setDescription("Retries not made because the retry budget was spent.")
                    .setUnit("{attempt}")
                    .buildWithCallback(m -> m.record(r.stats().retriesRefusedByBudget(), backend)));
            gauges.add(meter.gaugeBuilder("llm_bridge.client.in_flight")
                    .ofLongs()
                    .setDescription("Attempts holding a concurrency permit.")
                    .setUnit("{attempt}")
                    .buildWithCallback(m -> m.record(r.stats().inFlight(), backend)));
            gauges.add(meter.gaugeBuilder("llm_bridge.client.queue.length")
                    .ofLongs()
                    .setDescription("Calls waiting for a concurrency permit.")
                    .setUnit("{call}")
                    .buildWithCallback(m -> m.record(r.stats().waitingForPermit(), backend)));
        });
        delegate.unwrap(SpendingBudget.class).ifPresent(b -> {
            gauges.add(meter.gaugeBuilder("llm_bridge.budget.spent.cost")
                    .setDescription("Cost the backend reported since the budget was built or reset.")
                    .setUnit("{USD}")
                    .buildWithCallback(m -> m.record(b.spent().cost(), backend)));
            gauges.add(meter.gaugeBuilder("llm_bridge.budget.spent.tokens")
                    .ofLongs()
                    .setDescription("Tokens spent since the budget was built or reset.")
                    .setUnit("{token}")
                    .buildWithCallback(m -> m.record(b.spent().tokens(), backend)));
        });
        delegate.unwrap(TraceBacklog.class).ifPresent(t -> {
            gauges.add(meter.gaugeBuilder("llm_bridge.trace.backlog")
                    .ofLongs()
                    .setDescription("Traces waiting for the trace writer.")
                    .setUnit("{trace}")
                    .buildWithCallback(m -> m.record(t.queued(), backend)));
            gauges.add(meter.counterBuilder("llm_bridge.trace.dropped")
                    .setDescription("Traces dropped: a full queue under the drop policy, or a closed store.")
                    .setUnit("{trace}")
                    .buildWithCallback(m -> m.record(t.dropped(), backend)));
            gauges.add(meter.counterBuilder("llm_bridge.trace.lost")
                    .setDescription("Traces lost because writing them failed.")
                    .setUnit("{trace}")
                    .buildWithCallback(m -> m.record(t.lost(), backend)));
        });
    }

    /** Records a streamed call's time to its first chunk, with the reply's model when there is one. */
    void firstChunk(double seconds, AttributesBuilder common, ChatResponse reply) {
        AttributesBuilder a = common.build().toBuilder();
        if (reply != null && !reply.model().isEmpty()) {
            a.put(GenAi.RESPONSE_MODEL, reply.model());
        }
        timeToFirstChunk.record(seconds, a.build());
    }

    /** Records the gap before one chunk of a streamed reply (every chunk after the first). */
    void chunkGap(double seconds, Attributes common) {
        timePerOutputChunk.record(seconds, common);
    }

    /** Records one finished call. */
    void record(AttributesBuilder common, ChatResponse reply, LlmException error, double seconds) {
        Attributes base = common.build();
        AttributesBuilder d = base.toBuilder();
        if (reply != null && !reply.model().isEmpty()) {
            d.put(GenAi.RESPONSE_MODEL, reply.model());
        }
        if (error != null) {
            d.put(GenAi.ERROR_TYPE, CallAttributes.errorType(error.category()));
        }
        duration.record(seconds, d.build());
        if (reply != null && !reply.failed() && CallAttributes.hasUsage(reply)) {
            AttributesBuilder t = base.toBuilder();
            if (!reply.model().isEmpty()) {
                t.put(GenAi.RESPONSE_MODEL, reply.model());
            }
            tokens.record(
                    reply.usage().promptTokens(),
                    t.put(GenAi.TOKEN_TYPE, "input").build());
            tokens.record(
                    reply.usage().completionTokens(),
                    t.put(GenAi.TOKEN_TYPE, "output").build());
        }
        AttributesBuilder c = Attributes.builder()
                .put(GenAi.PROVIDER_NAME, base.get(GenAi.PROVIDER_NAME))
                .put(GenAi.REQUEST_MODEL, base.get(GenAi.REQUEST_MODEL))
                .put(GenAi.OUTCOME, error == null ? "success" : "failure");
        if (error != null) {
            c.put(GenAi.ERROR_TYPE, CallAttributes.errorType(error.category()));
        }
        calls.add(1, c.build());
        List<Attempt> attempts = reply != null ? reply.attempts() : error != null ? error.attempts() : List.of();
        Attributes who = Attributes.of(
                GenAi.PROVIDER_NAME, base.get(GenAi.PROVIDER_NAME), GenAi.REQUEST_MODEL, base.get(GenAi.REQUEST_MODEL));
        for (int i = 1; i < attempts.size(); i++) {
            if (attempts.get(i).model().equals(attempts.get(i - 1).model())) {
                retries.add(1, who);
            } else {
                fallbacks.add(1, who);
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable g : gauges) {
            try {
                g.close();
            } catch (Exception e) {
                log.debug("could not unregister a gauge's callback: {}", e.toString());
            }
        }
    }
}
