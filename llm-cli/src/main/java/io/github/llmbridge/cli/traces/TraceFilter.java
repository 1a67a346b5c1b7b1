package io.github.llmbridge.cli.traces;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which traces a command looks at; a {@code null} field matches everything, and the set ones must
 * all match. The same filter drives {@code traces list}, {@code traces summary} and {@code report},
 * whichever store holds the traces.
 *
 * @param sessionName calls made in sessions of this name
 * @param sessionUid  calls of this session and of every session nested in it
 * @param model       calls that asked for this model or were answered by it
 * @param status      calls that ended this way
 * @param category    failed calls of this category
 * @param since       calls started at or after this instant
 * @param until       calls started before this instant
 */
public record TraceFilter(
        String sessionName,
        String sessionUid,
        String model,
        TraceStatus status,
        ErrorCategory category,
        Instant since,
        Instant until) {

    /** The filter that matches every trace. */
    public static final TraceFilter ALL = new TraceFilter(null, null, null, null, null, null, null);

    /**
     * Checks the time range.
     *
     * @throws IllegalArgumentException when {@code until} is not after {@code since}
     */
    public TraceFilter {
        if (since != null && until != null && !until.isAfter(since)) {
            throw new IllegalArgumentException("--until (" + until + ") must be after --since (" + since + ")");
        }
    }

    /** Returns a query builder for the tracing API with these filters set and nothing else. */
    public TraceQuery.Builder query() {
        return TraceQuery.builder()
                .sessionName(sessionName)
                .sessionUid(sessionUid)
                .model(model)
                .status(status)
                .errorCategory(category)
                .since(since)
                .until(until);
    }

    /** Returns the filters that are set, as the options that set them ({@code --model a/b, --status failed}). */
    public String describe() {
        List<String> parts = new ArrayList<>();
        add(parts, "--session", sessionName);
        add(parts, "--session-uid", sessionUid);
        add(parts, "--model", model);
        add(parts, "--status", status == null ? null : status.column());
        add(parts, "--category", category == null ? null : category.name());
        add(parts, "--since", since == null ? null : since.toString());
        add(parts, "--until", until == null ? null : until.toString());
        return parts.isEmpty() ? "all traces" : String.join(", ", parts);
    }

    private static void add(List<String> parts, String option, String value) {
        if (value != null) {
            parts.add(option + " " + value);
        }
    }
}
