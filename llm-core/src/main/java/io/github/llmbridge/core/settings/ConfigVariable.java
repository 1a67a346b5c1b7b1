package io.github.llmbridge.core.settings;

import io.github.llmbridge.core.internal.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration variable, as the module that reads it declares it: its name (and the names
 * read in its place), what it means, the default users see when it is unset, which module reads
 * it and how its value may be shown. {@link ConfigVariables#all()} is the registry of every one;
 * the README's table, the Doctor and the build's list of variables hidden from tests are checked
 * against it.
 *
 * <pre>{@code
 * public static final ConfigVariable LLM_MAX_ATTEMPTS = ConfigVariable.builder("llm-core", "LLM_MAX_ATTEMPTS")
 *         .meaning("attempts per model, the first included (1 = no retries)")
 *         .defaultValue("5")
 *         .build();
 * int attempts = settings.positiveInt(LLM_MAX_ATTEMPTS, 5);
 * }</pre>
 *
 * @param name          the variable's name, upper case ({@code ACME_API_KEY})
 * @param module        the artifact that reads it ({@code llm-acme})
 * @param meaning       what it does, one line of plain text ({@code `code`} spans allowed)
 * @param defaultValue  what applies when it is unset, as shown to users ({@code 5},
 *                      {@code unset (no tracing)}, {@code required for acme})
 * @param kind          how a value may be shown
 * @param fallbacks     names read, in order, when {@code name} is unset ({@code OPENAI_API_KEY})
 * @param lowerCaseWins whether the lower-case spelling is read too and wins over {@code name}
 *                      where both are set, as curl reads {@code https_proxy}
 */
public record ConfigVariable(
        String name,
        String module,
        String meaning,
        String defaultValue,
        Kind kind,
        List<String> fallbacks,
        boolean lowerCaseWins) {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** How a variable's value may be shown in diagnostics. */
    public enum Kind {
        /** Shown as it is. */
        TEXT,
        /** A URL that may carry {@code user:password@} or a query: shown with those masked. */
        URL,
        /** A key or token: masked to its last four characters, scrubbed from stored traces. */
        SECRET;

        /**
         * Returns a value of this kind as diagnostics may show it: a text as it is, a URL with its
         * credentials and query masked, a secret as {@code ****} and its last four characters.
         *
         * <pre>{@code
         * ConfigVariable.Kind.SECRET.shown("sk-or-v1-abcdef1234")   // "****1234"
         * }</pre>
         */
        public String shown(String value) {
            return switch (this) {
                case TEXT -> value;
                case URL -> Secrets.displayUrl(value);
                case SECRET -> Secrets.mask(value);
            };
        }
    }

    /**
     * Validates the declaration.
     *
     * @throws IllegalArgumentException when a name is not upper case letters, digits and
     *                                  underscores, a name repeats, or the meaning, default or
     *                                  module is blank
     */
    public ConfigVariable {
        requireName(name);
        fallbacks = List.copyOf(fallbacks);
        fallbacks.forEach(ConfigVariable::requireName);
        if (fallbacks.contains(name) || fallbacks.stream().distinct().count() < fallbacks.size()) {
            throw new IllegalArgumentException(name + ": a name is listed twice in " + fallbacks);
        }
        requireText(module, name, "module");
        requireText(meaning, name, "meaning");
        requireText(defaultValue, name, "defaultValue");
        Objects.requireNonNull(kind, "kind");
    }

    /** Returns this declaration as read by another module (or modules, comma separated). */
    public ConfigVariable withModule(String module) {
        return new ConfigVariable(name, module, meaning, defaultValue, kind, fallbacks, lowerCaseWins);
    }

    /**
     * Starts the declaration of a variable.
     *
     * @param module the artifact that reads it, e.g. {@code llm-core}
     * @param name   its name, upper case
     */
    public static Builder builder(String module, String name) {
        return new Builder(module, name);
    }

    /**
     * Returns every name this variable is read under, in the order they are read: the lower-case
     * spelling first when it wins, then {@link #name()}, then the {@link #fallbacks()}.
     */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        if (lowerCaseWins) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        names.add(name);
        names.addAll(fallbacks);
        return List.copyOf(names);
    }

    /** Returns whether the value is a key or token ({@link Kind#SECRET}). */
    public boolean secret() {
        return kind == Kind.SECRET;
    }

    /**
     * Returns the names as the README's table writes them: {@code ACME_API_KEY, else
     * OPENAI_API_KEY} for fallbacks, {@code HTTPS_PROXY / https_proxy} for both spellings.
     */
    public String label() {
        StringBuilder label = new StringBuilder(name);
        if (lowerCaseWins) {
            label.append(" / ").append(name.toLowerCase(Locale.ROOT));
        }
        fallbacks.forEach(f -> label.append(", else ").append(f));
        return label.toString();
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a variable name must be upper case letters, digits and underscores, was '" + name + "'");
        }
    }

    private static void requireText(String value, String name, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": " + what + " must not be blank");
        }
    }

    /** Declares a {@link ConfigVariable}; meaning and default are required. */
    public static final class Builder {
        private final String module;
        private final String name;
        private String meaning;
        private String defaultValue;
        private Kind kind = Kind.TEXT;
        private final List<String> fallbacks = new ArrayList<>();
        private boolean lowerCaseWins;

        private Builder(String module, String name) {
            this.module = module;
            this.name = name;
        }

        /** Sets what the variable does, one line of plain text. */
        public Builder meaning(String meaning) {
            this.meaning = meaning;
            return this;
        }

        /** Sets what applies when the variable is unset, as shown to users. */
        public Builder defaultValue(String defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        /** Marks the value as a key or token: masked in diagnostics, scrubbed from traces. */
        public Builder secret() {
            this.kind = Kind.SECRET;
            return this;
        }

        /** Marks the value as a URL that may carry credentials: shown with them masked. */
        public Builder url() {
            this.kind = Kind.URL;
            return this;
        }

        /** Adds a name read when the variable and the fallbacks added before are unset. */
        public Builder orElse(String fallback) {
            fallbacks.add(fallback);
            return this;
        }

        /** Reads the lower-case spelling too, winning where both are set (the curl convention). */
        public Builder lowerCaseWins() {
            this.lowerCaseWins = true;
            return this;
        }

        /**
         * Returns the declaration.
         *
         * @throws IllegalArgumentException as the {@link ConfigVariable} constructor does
         */
        public ConfigVariable build() {
            return new ConfigVariable(name, module, meaning, defaultValue, kind, fallbacks, lowerCaseWins);
        }
    }
}
