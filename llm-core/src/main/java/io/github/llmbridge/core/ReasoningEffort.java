package io.github.llmbridge.core;

import java.util.Locale;

/**
 * How hard a reasoning model thinks before it answers ({@code reasoning_effort}). Less effort is
 * faster and cheaper; a judge rarely needs more than {@link #LOW}. A value newer than this list
 * can still be sent with {@code extraBody("reasoning_effort", "...")}.
 */
public enum ReasoningEffort {
    /** No reasoning, on models that allow turning it off. */
    NONE,
    /** The least reasoning. */
    MINIMAL,
    /** Little reasoning. */
    LOW,
    /** The providers' usual default. */
    MEDIUM,
    /** Much reasoning. */
    HIGH,
    /** The most reasoning, on models that offer it. */
    XHIGH;

    /** Returns the wire value, e.g. {@code low}. */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
