package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import org.junit.jupiter.api.Test;

class HeaderValuesTest {

    @Test
    void acceptsPrintableAsciiLatin1AndNull() {
        assertThatCode(() -> HeaderValues.requireSendable("sk-or-v1-abc123", "KEY", true))
                .doesNotThrowAnyException();
        assertThatCode(() -> HeaderValues.requireSendable("Trainer für RL", "TITLE", false))
                .doesNotThrowAnyException();
        assertThatCode(() -> HeaderValues.requireSendable(null, "TITLE", false)).doesNotThrowAnyException();
    }

    @Test
    void aKeyWithAnInvisibleCharacterNamesTheVariableButNeverShowsTheKey() {
        String key = "sk-or-v1-SECRET\u200bSECRET";
        assertThatThrownBy(() -> HeaderValues.requireSendable(key, "OPENROUTER_API_KEY", true))
                .isInstanceOfSatisfying(
                        LlmException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.category())
                                .isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("OPENROUTER_API_KEY")
                .hasMessageContaining("character 16 of 22")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void aKeyWithALineBreakOrSpaceIsRejected() {
        assertThatThrownBy(() -> HeaderValues.requireSendable("sk-abc\ndef", "LITELLM_API_KEY", true))
                .hasMessageContaining("LITELLM_API_KEY")
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> HeaderValues.requireSendable("sk-abc def", "LITELLM_API_KEY", true))
                .hasMessageContaining("character 7");
    }

    @Test
    void aTitleOutsideLatin1ShowsTheCharacter() {
        assertThatThrownBy(() -> HeaderValues.requireSendable("Trainer \u2013 RL", "OPENROUTER_TITLE", false))
                .hasMessageContaining("OPENROUTER_TITLE")
                .hasMessageContaining("U+2013")
                .hasMessageContaining("character 9");
    }
}
