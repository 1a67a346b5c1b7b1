package io.github.llmbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.cli.traces.TraceSource;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.tracing.TraceRecord;
import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llm-bridge traces show}: one call in full, found by its trace id or the first characters of it. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = {
            "Shows one call in full: when, session, model, outcome, every attempt, tokens, cost, the request and the"
                    + " reply.",
            "TRACE_ID may be the first characters of the id, as traces list shows it."
        })
final class TracesShowCommand implements Callable<Integer> {

    /** How the call is printed. */
    enum Format {
        /** Labelled lines, then the request and reply as indented JSON. */
        TEXT,
        /** One JSON object with every column; the request and reply as JSON, not strings. */
        JSON
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private final CliContext context;

    @Parameters(
            index = "0..1",
            arity = "1..2",
            paramLabel = "[DATABASE] TRACE_ID",
            description = "the trace file (default: $LLM_TRACE_DB), then the trace id or its first characters")
    private List<String> arguments;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE})",
            defaultValue = "text")
    private Format format;

    TracesShowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String database = arguments.size() == 2 ? arguments.get(0) : null;
        String id = arguments.get(arguments.size() - 1).strip();
        if (id.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "TRACE_ID is empty");
        }
        try (TraceSource source = Databases.open(database, context)) {
            List<TraceRecord> found = source.findByIdPrefix(id, 2);
            if (found.isEmpty()) {
                context.err().println("no trace whose id starts with '" + id + "' in " + source.description());
                return ExitCodes.FAILED;
            }
            if (found.size() > 1) {
                throw new CliException(
                        ExitCodes.USAGE, "'" + id + "' is the start of several trace ids; give more characters");
            }
            TraceRecord record = found.get(0);
            if (format == Format.JSON) {
                context.out().println(json(record).toString());
            } else {
                text(record, context.out());
            }
            return ExitCodes.OK;
        }
    }

    private void text(TraceRecord r, PrintStream out) {
        out.println("Trace " + r.traceId());
        line(out, "started", MILLIS.format(r.startedAt().atZone(context.zone())) + " (" + context.zone() + ")");
        line(
                out,
                "session",
                r.sessionName() == null
                        ? "-"
                        : r.sessionName()
                                + (r.sessionUids().isEmpty() ? "" : "  uids " + String.join(" > ", r.sessionUids())));
        if (!r.metadata().isEmpty()) {
            line(out, "metadata", compact(JSON.valueToTree(r.metadata())));
        }
        if (!r.tags().isEmpty()) {
            line(out, "tags", String.join(", ", r.tags()));
        }
        line(out, "backend", r.backend());
        line(
                out,
                "model",
                r.modelRequested()
                        + (r.modelUsed() == null || r.modelUsed().equals(r.modelRequested())
                                ? ""
                                : " (answered by " + r.modelUsed() + ")"));
        line(
                out,
                "status",
                r.status().column()
                        + (r.errorCategory() == null ? "" : " " + r.errorCategory())
                        + (r.httpStatus() == 0 ? "" : ", HTTP " + r.httpStatus())
                        + (r.finishReason() == null ? "" : ", finish reason " + r.finishReason()));
        if (r.errorMessage() != null) {
            line(out, "error", r.errorMessage());
        }
        line(out, "latency", Shown.millis(r.latency().toNanos() / 1e6));
        line(out, "attempts", String.valueOf(r.attemptCount()));
        int n = 1;
        for (Attempt a : r.attempts()) {
            out.printf(
                    "      %d. %s  %s  %s%s%s%n",
                    n++,
                    a.model(),
                    Shown.millis(a.duration().toNanos() / 1e6),
                    a.httpStatus() == 0 ? "no HTTP reply" : "HTTP " + a.httpStatus(),
                    a.errorCategory() == null ? "" : " " + a.errorCategory(),
                    a.waitAfter().isZero()
                            ? ""
                            : ", then waited " + Shown.millis(a.waitAfter().toNanos() / 1e6));
        }
        line(
                out,
                "tokens",
                String.format(
                        Locale.ROOT,
                        "%d prompt + %d completion = %d (cached %d, reasoning %d)",
                        r.usage().promptTokens(),
                        r.usage().completionTokens(),
                        r.usage().totalTokens(),
                        r.usage().cachedTokens(),
                        r.usage().reasoningTokens()));
        line(out, "cost", r.cost() == null ? "not reported" : Shown.dollars(r.cost()));
        for (String[] id : new String[][] {
            {"response id", r.responseId()}, {"litellm call", r.litellmCallId()}, {"generation", r.generationId()}
        }) {
            if (id[1] != null) {
                line(out, id[0], id[1]);
            }
        }
        out.println();
        out.println("Request");
        out.println(indented(r.requestJson()));
        out.println();
        out.println("Reply");
        out.println(r.responseJson() == null ? "  (none: the call failed)" : indented(r.responseJson()));
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("  %-12s %s%n", label, value);
    }

    /** The stored JSON, pretty-printed and indented; kept as stored when it is not JSON. */
    private static String indented(String json) {
        String pretty;
        try {
            pretty = JSON.writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            pretty = json;
        }
        return pretty.lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String compact(JsonNode node) {
        return node.toString();
    }

    /** Every column of the record as one JSON object; stored JSON texts become JSON values. */
    static ObjectNode json(TraceRecord r) {
        ObjectMapper plain = new ObjectMapper();
        ObjectNode o = plain.createObjectNode();
        o.put("trace_id", r.traceId());
        o.put("started_at", r.startedAt().toString());
        o.put("session_name", r.sessionName());
        ArrayNode uids = o.putArray("session_uids");
        r.sessionUids().forEach(uids::add);
        o.set("metadata", plain.valueToTree(r.metadata()));
        ArrayNode tags = o.putArray("tags");
        r.tags().forEach(tags::add);
        o.put("backend", r.backend());
        o.put("model_requested", r.modelRequested());
        o.put("model_used", r.modelUsed());
        o.put("status", r.status().column());
        o.put(
                "error_category",
                r.errorCategory() == null ? null : r.errorCategory().name());
        o.put("error_message", r.errorMessage());
        if (r.httpStatus() == 0) {
            o.putNull("http_status");
        } else {
            o.put("http_status", r.httpStatus());
        }
        o.put("attempts", r.attemptCount());
        ArrayNode history = o.putArray("attempt_history");
        for (Attempt a : r.attempts()) {
            ObjectNode h = history.addObject()
                    .put("model", a.model())
                    .put("start", a.start().toString())
                    .put("duration_ms", a.duration().toNanos() / 1e6)
                    .put(
                            "error",
                            a.errorCategory() == null ? null : a.errorCategory().name())
                    .put("wait_after_ms", a.waitAfter().toNanos() / 1e6);
            if (a.httpStatus() == 0) {
                h.putNull("http_status");
            } else {
                h.put("http_status", a.httpStatus());
            }
        }
        o.put("latency_ms", r.latency().toNanos() / 1e6);
        o.put("prompt_tokens", r.usage().promptTokens());
        o.put("completion_tokens", r.usage().completionTokens());
        o.put("total_tokens", r.usage().totalTokens());
        o.put("cached_tokens", r.usage().cachedTokens());
        o.put("reasoning_tokens", r.usage().reasoningTokens());
        if (r.cost() == null) {
            o.putNull("cost");
        } else {
            o.put("cost", r.cost());
        }
        o.put("response_id", r.responseId());
        o.put("litellm_call_id", r.litellmCallId());
        o.put("generation_id", r.generationId());
        o.put("finish_reason", r.finishReason());
        o.set("request", parsed(plain, r.requestJson()));
        o.set("response", parsed(plain, r.responseJson()));
        return o;
    }

    private static JsonNode parsed(ObjectMapper mapper, String json) {
        if (json == null) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }
}
