package io.github.llmbridge.tracing;

import io.github.llmbridge.core.ErrorCategory;
import java.time.Instant;
import java.util.Optional;

/**
 * Filters for {@link TraceStore#find(TraceQuery)}; unset filters match everything, and set ones
 * must all match. Results come newest first.
 *
 * <pre>{@code
 * List<TraceRecord> failed = store.find(TraceQuery.builder()
 *     .since(Instant.now().minus(Duration.ofHours(1))).status(TraceStatus.FAILED).limit(50).build());
 * }</pre>
 *
 * <p>To follow a store as it grows, remember {@link SqliteTraceStore#lastPosition()} and ask for
 * what was written after it with {@link Builder#writtenAfter(long)}: positions follow the order
 * traces were committed in, which is not the order their calls started in.
 */
public final class TraceQuery {

    /** The limit when none is set. */
    public static final int DEFAULT_LIMIT = 1000;

    private final Instant since;
    private final Instant until;
    private final String model;
    private final TraceStatus status;
    private final String sessionName;
    private final String sessionUid;
    private final ErrorCategory errorCategory;
    private final String traceIdPrefix;
    private final long writtenAfter;
    private final long writtenUpTo;
    private final int limit;

    private TraceQuery(Builder b) {
        this.since = b.since;
        this.until = b.until;
        this.model = b.model;
        this.status = b.status;
        this.sessionName = b.sessionName;
        this.sessionUid = b.sessionUid;
        this.errorCategory = b.errorCategory;
        this.traceIdPrefix = b.traceIdPrefix;
        this.writtenAfter = b.writtenAfter;
        this.writtenUpTo = b.writtenUpTo;
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

    /** Returns the session uid matched: the calls of that session and of every session nested in it. */
    public Optional<String> sessionUid() {
        return Optional.ofNullable(sessionUid);
    }

    /** Returns the failure category matched. */
    public Optional<ErrorCategory> errorCategory() {
        return Optional.ofNullable(errorCategory);
    }

    /** Returns the start of the trace ids matched (a whole id matches that one trace). */
    public Optional<String> traceIdPrefix() {
        return Optional.ofNullable(traceIdPrefix);
    }

    /** Returns the position after which traces are matched; 0 matches from the first one. */
    public long writtenAfter() {
        return writtenAfter;
    }

    /** Returns the last position matched; {@link Long#MAX_VALUE} when unbounded. */
    public long writtenUpTo() {
        return writtenUpTo;
    }

    /** Returns the most rows returned. */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "TraceQuery[since=" + since + ", until=" + until + ", model=" + model + ", status=" + status
                + ", sessionName=" + sessionName + ", sessionUid=" + sessionUid + ", errorCategory=" + errorCategory
                + ", traceIdPrefix=" + traceIdPrefix + ", writtenAfter=" + writtenAfter
                + (writtenUpTo == Long.MAX_VALUE ? "" : ", writtenUpTo=" + writtenUpTo) + ", limit=" + limit + "]";
    }

    /** Builds a {@link TraceQuery}. */
    public static final class Builder {
        private Instant since;
        private Instant until;
        private String model;
        private TraceStatus status;
        private String sessionName;
        private String sessionUid;
        private ErrorCategory errorCategory;
        private String traceIdPrefix;
        private long writtenAfter;
        private long writtenUpTo = Long.MAX_VALUE;
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
         * Matches calls whose session uid chain contains this uid: the calls of that session and of
         * every session nested in it, as {@link TraceStore#findBySessionUid(String)} ({@code null} unsets).
         */
        public Builder sessionUid(String sessionUid) {
            this.sessionUid = sessionUid;
            return this;
        }

        /** Matches failed calls of this category ({@code null} unsets). */
        public Builder errorCategory(ErrorCategory errorCategory) {
            this.errorCategory = errorCategory;
            return this;
        }

        /**
         * Matches the traces whose id starts with this text: a whole id finds its trace, a few
         * characters of it (as a command-line user types them) the traces sharing that start
         * ({@code null} unsets).
         *
         * @throws IllegalArgumentException when empty
         */
        public Builder traceIdPrefix(String traceIdPrefix) {
            if (traceIdPrefix != null && traceIdPrefix.isEmpty()) {
                throw new IllegalArgumentException("traceIdPrefix must not be empty");
            }
            this.traceIdPrefix = traceIdPrefix;
            return this;
        }

        /**
         * Matches traces committed after this position (see {@link SqliteTraceStore#lastPosition()});
         * 0, the default, matches from the first trace.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder writtenAfter(long position) {
            if (position < 0) {
                throw new IllegalArgumentException("writtenAfter must not be negative, was " + position);
            }
            this.writtenAfter = position;
            return this;
        }

        /**
         * Matches traces committed at or before this position, so that a follower can read what
         * was written since its last look in pages of a known size.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder writtenUpTo(long position) {
            if (position < 0) {
                throw new IllegalArgumentException("writtenUpTo must not be negative, was " + position);
            }
            this.writtenUpTo = position;
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
         * @throws IllegalArgumentException when {@code until} is not after {@code since}, or
         *                                  {@code writtenUpTo} is before {@code writtenAfter}
         */
        public TraceQuery build() {
            if (since != null && until != null && !until.isAfter(since)) {
                throw new IllegalArgumentException("until (" + until + ") must be after since (" + since + ")");
            }
            if (writtenUpTo < writtenAfter) {
                throw new IllegalArgumentException(
                        "writtenUpTo (" + writtenUpTo + ") must not be before writtenAfter (" + writtenAfter + ")");
            }
            return new TraceQuery(this);
        }
    }
}
