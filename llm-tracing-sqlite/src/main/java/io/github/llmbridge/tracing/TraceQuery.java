package io.github.llmbridge.tracing;

import java.time.Instant;
import java.util.Optional;

/**
 * Filters for {@link TraceStore#find(TraceQuery)}; unset filters match everything. Results come
 * newest first.
 *
 * <pre>{@code
 * List<TraceRecord> failed = store.find(TraceQuery.builder()
 *     .since(Instant.now().minus(Duration.ofHours(1))).status(TraceStatus.FAILED).limit(50).build());
 * }</pre>
 */
public final class TraceQuery {

    /** The limit when none is set. */
    public static final int DEFAULT_LIMIT = 1000;

    private final Instant since;
    private final Instant until;
    private final String model;
    private final TraceStatus status;
    private final String sessionName;
    private final int limit;

    private TraceQuery(Builder b) {
        this.since = b.since;
        this.until = b.until;
        this.model = b.model;
        this.status = b.status;
        this.sessionName = b.sessionName;
        this.limit = b.limit;
    }

    /** Starts a query matching everything, newest {@value #DEFAULT_LIMIT} first. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the earliest start time matched (inclusive). */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** Returns the start time matched up to (exclusive). */
    public Optional<Instant> until() {
        return Optional.ofNullable(until);
    }

    /** Returns the model matched, as requested or as answered. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** Returns the status matched. */
    public Optional<TraceStatus> status() {
        return Optional.ofNullable(status);
    }

    /** Returns the session name matched. */
    public Optional<String> sessionName() {
        return Optional.ofNullable(sessionName);
    }

    /** Returns the most rows returned. */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "TraceQuery[since=" + since + ", until=" + until + ", model=" + model + ", status=" + status
                + ", sessionName=" + sessionName + ", limit=" + limit + "]";
    }

    /** Builds a {@link TraceQuery}. */
    public static final class Builder {
        private Instant since;
        private Instant until;
        private String model;
        private TraceStatus status;
        private String sessionName;
        private int limit = DEFAULT_LIMIT;

        private Builder() {}

        /** Matches calls started at or after this instant ({@code null} unsets). */
        public Builder since(Instant since) {
            this.since = since;
            return this;
        }

        /** Matches calls started before this instant ({@code null} unsets). */
        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        /** Matches calls that requested this model or were answered by it ({@code null} unsets). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Matches calls with this outcome ({@code null} unsets). */
        public Builder status(TraceStatus status) {
            this.status = status;
            return this;
        }

        /** Matches calls made in sessions of this name ({@code null} unsets). */
        public Builder sessionName(String sessionName) {
            this.sessionName = sessionName;
            return this;
        }

        /**
         * Returns at most this many rows, newest first.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * Returns the query.
         *
         * @throws IllegalArgumentException when {@code until} is not after {@code since}
         */
        public TraceQuery build() {
            if (since != null && until != null && !until.isAfter(since)) {
                throw new IllegalArgumentException("until (" + until + ") must be after since (" + since + ")");
            }
            return new TraceQuery(this);
        }
    }
}
