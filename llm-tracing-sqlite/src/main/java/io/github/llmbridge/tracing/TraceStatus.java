package io.github.llmbridge.tracing;

/** How a traced call ended; stored in the {@code status} column as {@link #column()}. */
public enum TraceStatus {
    /** The call returned a reply. */
    OK("ok"),
    /**
     * The call failed: it threw an {@code LlmException}, or returned a fail-open placeholder
     * ({@code ChatResponse.failed()}). The {@code error_category} column says why.
     */
    FAILED("failed");

    private final String column;

    TraceStatus(String column) {
        this.column = column;
    }

    /** Returns the value stored in the {@code status} column ({@code ok} or {@code failed}). */
    public String column() {
        return column;
    }

    /**
     * Returns the status for a column value.
     *
     * @throws IllegalArgumentException for an unknown value
     */
    public static TraceStatus fromColumn(String value) {
        for (TraceStatus s : values()) {
            if (s.column.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown trace status '" + value + "'");
    }
}
