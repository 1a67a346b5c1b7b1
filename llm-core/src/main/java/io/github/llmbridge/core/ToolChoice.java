package io.github.llmbridge.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether and which tool the model must call ({@code tool_choice}): {@link #auto()} (the model
 * decides; the providers' default when tools are given), {@link #none()}, {@link #required()}
 * (some tool), or one named function.
 */
public final class ToolChoice {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final ToolChoice AUTO = new ToolChoice("auto", null);
    private static final ToolChoice NONE = new ToolChoice("none", null);
    private static final ToolChoice REQUIRED = new ToolChoice("required", null);

    private final String mode;
    private final String functionName;

    private ToolChoice(String mode, String functionName) {
        this.mode = mode;
        this.functionName = functionName;
    }

    /** The model decides whether to call a tool. */
    public static ToolChoice auto() {
        return AUTO;
    }

    /** The model must not call a tool. */
    public static ToolChoice none() {
        return NONE;
    }

    /** The model must call at least one tool. */
    public static ToolChoice required() {
        return REQUIRED;
    }

    /**
     * The model must call the named function.
     *
     * @throws IllegalArgumentException when the name is not a valid tool name
     */
    public static ToolChoice function(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "tool choice names a function '" + name + "'; a tool name is 1 to 64 letters, digits, '_' or '-'");
        }
        return new ToolChoice("function", name);
    }

    /** Returns {@code auto}, {@code none}, {@code required} or {@code function}. */
    public String mode() {
        return mode;
    }

    /** Returns the function the model must call, for {@link #function(String)}. */
    public Optional<String> functionName() {
        return Optional.ofNullable(functionName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolChoice c
                && mode.equals(c.mode)
                && java.util.Objects.equals(functionName, c.functionName);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mode, functionName);
    }

    @Override
    public String toString() {
        return functionName == null ? mode : "function(" + functionName + ")";
    }
}
