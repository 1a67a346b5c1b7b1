package io.github.llmbridge.core;

/**
 * How hard a reasoning model thinks before it answers ({@code reasoning_effort}; OpenRouter's
 * {@code reasoning.effort}). Less effort is faster and cheaper; a judge rarely needs more than
 * {@link #LOW}. An open set, since providers keep adding values ({@code xhigh}, then {@code max}):
 * besides the constants, {@link #of(String)} sends any value as given, so a value newer than this
 * version needs no upgrade. Two efforts are equal when their wire values are.
 */
public final class ReasoningEffort {

    /** No reasoning, on models that allow turning it off. */
    public static final ReasoningEffort NONE = new ReasoningEffort("none");
    /** The least reasoning. */
    public static final ReasoningEffort MINIMAL = new ReasoningEffort("minimal");
    /** Little reasoning. */
    public static final ReasoningEffort LOW = new ReasoningEffort("low");
    /** The providers' usual default. */
    public static final ReasoningEffort MEDIUM = new ReasoningEffort("medium");
    /** Much reasoning. */
    public static final ReasoningEffort HIGH = new ReasoningEffort("high");
    /** More than high, on models that offer it. */
    public static final ReasoningEffort XHIGH = new ReasoningEffort("xhigh");
    /** The most reasoning, on models that offer it. */
    public static final ReasoningEffort MAX = new ReasoningEffort("max");

    private final String wire;

    private ReasoningEffort(String wire) {
        this.wire = wire;
    }

    /**
     * Returns the effort with this wire value, known or not (surrounding blanks removed).
     *
     * @throws IllegalArgumentException when the value is null or blank
     */
    public static ReasoningEffort of(String wireValue) {
        if (wireValue == null || wireValue.isBlank()) {
            throw new IllegalArgumentException("reasoningEffort must not be blank");
        }
        return new ReasoningEffort(wireValue.strip());
    }

    /** Returns the wire value, e.g. {@code low}. */
    public String wireValue() {
        return wire;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReasoningEffort other && wire.equals(other.wire);
    }

    @Override
    public int hashCode() {
        return wire.hashCode();
    }

    /** Returns the wire value. */
    @Override
    public String toString() {
        return wire;
    }
}
