package io.github.llmbridge.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigVariableTest {

    private static ConfigVariable.Builder declared(String name) {
        return ConfigVariable.builder("llm-test", name).meaning("what it does").defaultValue("unset");
    }

    @Test
    void fallbacksAreReadAfterTheNameInTheOrderDeclared() {
        ConfigVariable key = declared("PRIMARY_KEY")
                .orElse("SHARED_KEY")
                .orElse("LEGACY_KEY")
                .build();

        assertThat(key.names()).containsExactly("PRIMARY_KEY", "SHARED_KEY", "LEGACY_KEY");
        assertThat(key.label()).isEqualTo("PRIMARY_KEY, else SHARED_KEY, else LEGACY_KEY");
    }

    @Test
    void theLowerCaseSpellingIsReadFirstWhenItWins() {
        ConfigVariable proxy = declared("HTTPS_PROXY").lowerCaseWins().url().build();

        assertThat(proxy.names()).containsExactly("https_proxy", "HTTPS_PROXY");
        assertThat(proxy.label()).isEqualTo("HTTPS_PROXY / https_proxy");
        assertThat(proxy.kind()).isEqualTo(ConfigVariable.Kind.URL);
        assertThat(proxy.secret()).isFalse();
    }

    @Test
    void aSecretIsMarkedSoAndAPlainVariableIsText() {
        assertThat(declared("A_TOKEN").secret().build().secret()).isTrue();
        assertThat(declared("A_COUNT").build().kind()).isEqualTo(ConfigVariable.Kind.TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lower_case", "1STARTS_WITH_DIGIT", "HAS-DASH", "HAS SPACE", ""})
    void aNameMustBeUpperCaseLettersDigitsAndUnderscores(String name) {
        assertThatThrownBy(() -> declared(name).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'");
        assertThatThrownBy(() -> declared("GOOD").orElse(name).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'");
    }

    @Test
    void aNameListedTwiceIsRefused() {
        assertThatThrownBy(() -> declared("KEY").orElse("KEY").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEY");
        assertThatThrownBy(() -> declared("KEY").orElse("OTHER").orElse("OTHER").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTHER");
    }

    @Test
    void meaningDefaultAndModuleAreRequired() {
        assertThatThrownBy(
                        () -> ConfigVariable.builder("m", "X").defaultValue("1").build())
                .hasMessage("X: meaning must not be blank");
        assertThatThrownBy(() -> ConfigVariable.builder("m", "X").meaning("m").build())
                .hasMessage("X: defaultValue must not be blank");
        assertThatThrownBy(() -> ConfigVariable.builder(" ", "X")
                        .meaning("m")
                        .defaultValue("1")
                        .build())
                .hasMessage("X: module must not be blank");
    }

    @Test
    void eachKindShowsAValueAsDiagnosticsMay() {
        assertThat(ConfigVariable.Kind.TEXT.shown("openai/gpt-4o-mini")).isEqualTo("openai/gpt-4o-mini");
        assertThat(ConfigVariable.Kind.SECRET.shown("sk-or-v1-abcdef1234"))
                .doesNotContain("abcdef")
                .endsWith("1234");
        assertThat(ConfigVariable.Kind.URL.shown("http://user:hunter2@proxy.corp:3128"))
                .contains("proxy.corp:3128")
                .doesNotContain("hunter2");
    }
}
