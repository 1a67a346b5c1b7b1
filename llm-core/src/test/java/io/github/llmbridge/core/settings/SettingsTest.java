package io.github.llmbridge.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "1", "yes", "YES", " yes "})
    void flagAcceptsEverySpellingOfTrue(String value) {
        assertThat(Settings.of(Map.of("F", value)).flag("F", false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "0", "no", "No"})
    void flagAcceptsEverySpellingOfFalse(String value) {
        assertThat(Settings.of(Map.of("F", value)).flag("F", true)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ture", "2", "on", "y", "enabled"})
    void flagRejectsAnythingElseNamingTheVariable(String value) {
        assertConfigError(
                () -> Settings.of(Map.of("USE_OPENROUTER_DIRECT", value)).flag("USE_OPENROUTER_DIRECT", false),
                "USE_OPENROUTER_DIRECT",
                value);
    }

    @Test
    void unsetAndBlankVariablesUseTheDefault() {
        Map<String, String> env = new HashMap<>();
        env.put("BLANK", "   ");
        env.put("NULL", null);
        Settings s = Settings.of(env);
        assertThat(s.flag("BLANK", true)).isTrue();
        assertThat(s.get("NULL")).isEmpty();
        assertThat(s.positiveInt("MISSING", 10)).isEqualTo(10);
        assertThat(s.seconds("MISSING")).isEmpty();
    }

    @Test
    void positiveIntRejectsNonNumbersZeroAndNegatives() {
        assertThat(Settings.of(Map.of("N", " 42 ")).positiveInt("N", 1)).isEqualTo(42);
        assertConfigError(() -> Settings.of(Map.of("N", "abc")).positiveInt("N", 1), "N", "abc");
        assertConfigError(() -> Settings.of(Map.of("N", "0")).positiveInt("N", 1), "N", "'0'");
        assertConfigError(() -> Settings.of(Map.of("N", "-5")).positiveInt("N", 1), "N", "-5");
        assertConfigError(() -> Settings.of(Map.of("N", "1.5")).positiveInt("N", 1), "N", "1.5");
    }

    @Test
    void secondsTakesTheFirstSetVariableAndFractions() {
        Settings s = Settings.of(Map.of("LITELLM_DEFAULT_TIMEOUT", "120", "LLM_TIMEOUT_SECONDS", "2.5"));
        assertThat(s.seconds("LLM_TIMEOUT_SECONDS", "LITELLM_DEFAULT_TIMEOUT")).contains(Duration.ofMillis(2500));
        assertThat(s.seconds("LITELLM_DEFAULT_TIMEOUT")).contains(Duration.ofSeconds(120));
        assertConfigError(() -> Settings.of(Map.of("T", "-1")).seconds("T"), "T", "-1");
        assertConfigError(() -> Settings.of(Map.of("T", "soon")).seconds("T"), "T", "soon");
    }

    @Test
    void httpUrlAcceptsHttpAndHttpsOnly() {
        Settings s =
                Settings.of(Map.of("U", "https://openrouter.ai/api/v1", "BAD", "localhost:4000", "FTP", "ftp://x"));
        assertThat(s.httpUrl("http://d", "U").toString()).isEqualTo("https://openrouter.ai/api/v1");
        assertThat(s.httpUrl("http://localhost:4000", "MISSING").toString()).isEqualTo("http://localhost:4000");
        assertConfigError(() -> s.httpUrl("http://d", "BAD"), "BAD", "localhost:4000");
        assertConfigError(() -> s.httpUrl("http://d", "FTP"), "FTP", "ftp://x");
        assertConfigError(() -> Settings.of(Map.of("S", "http://exa mple.com")).httpUrl("http://d", "S"), "S");
    }

    @Test
    void requireNamesEveryVariableItLookedAt() {
        assertConfigError(
                () -> Settings.of(Map.of())
                        .require("OpenRouter needs an API key", "OPENROUTER_API_KEY", "OPENAI_API_KEY"),
                "OpenRouter needs an API key",
                "OPENROUTER_API_KEY",
                "OPENAI_API_KEY");
        Settings.Setting found = Settings.of(Map.of("OPENAI_API_KEY", "k2", "OPENROUTER_API_KEY", "k1"))
                .require("key", "OPENROUTER_API_KEY", "OPENAI_API_KEY");
        assertThat(found.name()).isEqualTo("OPENROUTER_API_KEY");
        assertThat(found.value()).isEqualTo("k1");
    }

    @Test
    void toStringNeverShowsValues() {
        Settings s = Settings.of(Map.of("OPENROUTER_API_KEY", "sk-or-v1-topsecret"));
        assertThat(s.toString()).doesNotContain("topsecret");
        assertThat(s.require("key", "OPENROUTER_API_KEY").toString()).doesNotContain("topsecret");
    }

    private static final ConfigVariable KEY = ConfigVariable.builder("test", "PRIMARY_KEY")
            .orElse("SHARED_KEY")
            .secret()
            .meaning("a key")
            .defaultValue("required")
            .build();
    private static final ConfigVariable PROXY = ConfigVariable.builder("test", "SOME_PROXY")
            .lowerCaseWins()
            .meaning("a proxy")
            .defaultValue("unset")
            .build();

    @Test
    void aRegistryEntryIsReadUnderItsNameThenItsFallbacks() {
        assertThat(Settings.of(Map.of("SHARED_KEY", "k2")).get(KEY)).contains("k2");
        assertThat(Settings.of(Map.of("SHARED_KEY", "k2", "PRIMARY_KEY", "k1")).first(KEY))
                .map(Settings.Setting::name)
                .contains("PRIMARY_KEY");
        assertThat(Settings.of(Map.of()).get(KEY)).isEmpty();
    }

    @Test
    void theLowerCaseSpellingWinsWhereTheEntrySaysSo() {
        Settings both = Settings.of(Map.of("SOME_PROXY", "upper:1", "some_proxy", "lower:1"));
        assertThat(both.get(PROXY)).contains("lower:1");
        assertThat(Settings.of(Map.of("SOME_PROXY", "upper:1")).get(PROXY)).contains("upper:1");
    }

    @Test
    void requireWithARegistryEntryNamesEveryNameItLookedAt() {
        assertThatThrownBy(() -> Settings.of(Map.of()).require("Needs a key", KEY))
                .isInstanceOf(LlmException.class)
                .hasMessage("Needs a key: set PRIMARY_KEY or SHARED_KEY");
    }

    @Test
    void typedReadsOfARegistryEntryNameTheSpellingThatWasSet() {
        ConfigVariable count = ConfigVariable.builder("test", "COUNT")
                .orElse("OLD_COUNT")
                .meaning("a count")
                .defaultValue("7")
                .build();
        assertThat(Settings.of(Map.of()).positiveInt(count, 7)).isEqualTo(7);
        assertThat(Settings.of(Map.of("OLD_COUNT", "3")).positiveInt(count, 7)).isEqualTo(3);
        assertConfigError(() -> Settings.of(Map.of("OLD_COUNT", "-3")).positiveInt(count, 7), "OLD_COUNT", "-3");
        assertConfigError(() -> Settings.of(Map.of("COUNT", "maybe")).flag(count, false), "COUNT", "maybe");
        assertConfigError(() -> Settings.of(Map.of("OLD_COUNT", "soon")).seconds(count), "OLD_COUNT", "soon");
        assertConfigError(
                () -> Settings.of(Map.of("OLD_COUNT", "ftp://x")).httpUrl("http://d", count), "OLD_COUNT", "ftp://x");
    }

    private static void assertConfigError(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                    assertThat(e.isRetryable()).isFalse();
                })
                .message()
                .contains(fragments);
    }
}
