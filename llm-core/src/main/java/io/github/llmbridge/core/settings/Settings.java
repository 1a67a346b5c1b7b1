package io.github.llmbridge.core.settings;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A typed, validating view of configuration variables (the process environment, or a map in
 * tests). Every error names the variable and, unless it holds a secret, the bad value:
 *
 * <pre>{@code
 * Settings s = Settings.of(Map.of("LLM_MAX_ATTEMPTS", "five"));
 * s.positiveInt("LLM_MAX_ATTEMPTS", 5);  // LlmException(CONFIGURATION):
 *                                        // "LLM_MAX_ATTEMPTS must be a positive integer, was 'five'"
 * }</pre>
 *
 * <p>Values are trimmed; a variable set to an empty string counts as unset.
 */
public final class Settings {

    /** The largest duration accepted: about 292 years, the most a {@code Duration} in nanoseconds holds. */
    private static final double MAX_SECONDS = Long.MAX_VALUE / 1e9;

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Returns the settings of the process environment ({@link System#getenv()}). */
    public static Settings fromEnvironment() {
        return of(System.getenv());
    }

    /** Returns settings backed by a copy of the given map (null values are ignored). */
    public static Settings of(Map<String, String> variables) {
        Map<String, String> copy = new HashMap<>();
        variables.forEach((k, v) -> {
            if (k != null && v != null && !v.isBlank()) {
                copy.put(k, v.strip());
            }
        });
        return new Settings(copy);
    }

    /** Returns a copy with one variable set (or removed when {@code value} is null or blank). */
    public Settings with(String name, String value) {
        Map<String, String> copy = new HashMap<>(values);
        if (value == null || value.isBlank()) {
            copy.remove(name);
        } else {
            copy.put(name, value.strip());
        }
        return new Settings(copy);
    }

    /** Returns a variable's trimmed value, empty when unset or blank. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * Returns the first of the named variables that is set, with its name, so messages can say
     * which one was used ({@code ACME_API_KEY}, else {@code OPENAI_API_KEY}).
     */
    public Optional<Setting> first(String... names) {
        for (String name : names) {
            String value = values.get(name);
            if (value != null) {
                return Optional.of(new Setting(name, value));
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the first of the named variables that is set.
     *
     * @param purpose what the value is for, e.g. {@code "Acme needs an API key"}
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming every variable
     *                      looked at, when none is set
     */
    public Setting require(String purpose, String... names) {
        return first(names).orElseThrow(() -> configError(purpose + ": set " + String.join(" or ", names)));
    }

    /**
     * Returns a positive integer variable, or the default when unset.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when it is not a positive integer
     */
    public int positiveInt(String name, int defaultValue) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the variable's name
        }
        throw configError(name + " must be a positive integer, was '" + value.get() + "'");
    }

    /**
     * Returns a boolean variable, accepting {@code true/false/1/0/yes/no} in any case.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} for any other value
     */
    public boolean flag(String name, boolean defaultValue) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw configError(name + " must be true/false/1/0/yes/no, was '" + value.get() + "'");
        };
    }

    /**
     * Returns a duration given in (possibly fractional) seconds by the first set variable.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when it is not a number of
     *                      seconds from 0.001 (a millisecond) to about 292 years
     */
    public Optional<Duration> seconds(String... names) {
        Optional<Setting> setting = first(names);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        String raw = setting.get().value();
        try {
            double seconds = Double.parseDouble(raw);
            // at least a millisecond: a value that rounds to nothing is a typo, not a time limit
            if (seconds >= 0.001 && seconds <= MAX_SECONDS) {
                return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
            }
        } catch (NumberFormatException ignored) {
            // reported below with the variable's name
        }
        throw configError(setting.get().name() + " must be a number of seconds from 0.001 to " + (long) MAX_SECONDS
                + ", was '" + raw + "'");
    }

    /**
     * Returns an http(s) URL from the first set variable, or the default.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when it is not an absolute
     *                      http or https URL with a host
     */
    public URI httpUrl(String defaultValue, String... names) {
        Optional<Setting> setting = first(names);
        String raw = setting.map(Setting::value).orElse(defaultValue);
        String source = setting.map(Setting::name).orElse("default");
        return parseHttpUrl(raw, source);
    }

    /**
     * Parses an absolute http(s) URL.
     *
     * @param source the variable or builder method the value came from, for the message
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when it is not one
     */
    public static URI parseHttpUrl(String raw, String source) {
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getPort() <= 65535) {
                return uri;
            }
        } catch (URISyntaxException ignored) {
            // reported below with the source's name
        }
        throw configError(
                source + " must be an http:// or https:// URL with a host, was '" + Secrets.displayUrl(raw) + "'");
    }

    /**
     * Returns the variable's trimmed value under the first of its {@link ConfigVariable#names()
     * names} that is set, empty when none is.
     */
    public Optional<String> get(ConfigVariable variable) {
        return first(variable).map(Setting::value);
    }

    /** Returns the first of the variable's names that is set, with its name (for messages). */
    public Optional<Setting> first(ConfigVariable variable) {
        return first(names(variable));
    }

    /**
     * Returns the first of the variable's names that is set.
     *
     * @param purpose what the value is for, e.g. {@code "the Acme backend needs an API key"}
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming every name looked
     *                      at, when none is set
     */
    public Setting require(String purpose, ConfigVariable variable) {
        return require(purpose, names(variable));
    }

    /**
     * Returns the variable as a positive integer, or the default when unset.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming the name that was
     *                      set, when its value is not a positive integer
     */
    public int positiveInt(ConfigVariable variable, int defaultValue) {
        return positiveInt(nameSet(variable), defaultValue);
    }

    /**
     * Returns the variable as a boolean ({@code true/false/1/0/yes/no}, any case), or the default.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} for any other value
     */
    public boolean flag(ConfigVariable variable, boolean defaultValue) {
        return flag(nameSet(variable), defaultValue);
    }

    /**
     * Returns the variable as a duration in (possibly fractional) seconds.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} as {@link #seconds(String...)}
     */
    public Optional<Duration> seconds(ConfigVariable variable) {
        return seconds(names(variable));
    }

    /**
     * Returns the variable as an http(s) URL, or the default.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} as {@link #httpUrl(String, String...)}
     */
    public URI httpUrl(String defaultValue, ConfigVariable variable) {
        return httpUrl(defaultValue, names(variable));
    }

    private static String[] names(ConfigVariable variable) {
        return variable.names().toArray(String[]::new);
    }

    /** The name whose value applies, so a message names what the user wrote; the main name if none is set. */
    private String nameSet(ConfigVariable variable) {
        return first(variable).map(Setting::name).orElse(variable.name());
    }

    /** Shows how many variables are set, never their values (some are secrets). */
    @Override
    public String toString() {
        return "Settings[" + values.size() + " variables]";
    }

    private static LlmException configError(String message) {
        return new LlmException(ErrorCategory.CONFIGURATION, message);
    }

    /**
     * A variable that was found, with its name.
     *
     * @param name  the variable's name
     * @param value its trimmed value
     */
    public record Setting(String name, String value) {
        /** Shows the name only: the value may be a key. */
        @Override
        public String toString() {
            return "Setting[" + name + "]";
        }
    }
}
