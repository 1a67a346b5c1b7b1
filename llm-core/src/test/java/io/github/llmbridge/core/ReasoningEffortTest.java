package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import org.junit.jupiter.api.Test;

/** The reasoning effort is an open set: known values by constant, newer ones by {@code of}. */
class ReasoningEffortTest {

    @Test
    void constantsCarryTheWireValues() {
        assertThat(ReasoningEffort.NONE.wireValue()).isEqualTo("none");
        assertThat(ReasoningEffort.MINIMAL.wireValue()).isEqualTo("minimal");
        assertThat(ReasoningEffort.LOW.wireValue()).isEqualTo("low");
        assertThat(ReasoningEffort.MEDIUM.wireValue()).isEqualTo("medium");
        assertThat(ReasoningEffort.HIGH.wireValue()).isEqualTo("high");
        assertThat(ReasoningEffort.XHIGH.wireValue()).isEqualTo("xhigh");
        assertThat(ReasoningEffort.MAX.wireValue()).isEqualTo("max");
    }

    @Test
    void ofAKnownValueEqualsItsConstantAndOfANewOneKeepsItAsGiven() {
        assertThat(ReasoningEffort.of(" high "))
                .isEqualTo(ReasoningEffort.HIGH)
                .hasSameHashCodeAs(ReasoningEffort.HIGH);
        assertThat(ReasoningEffort.of("ultra").wireValue()).isEqualTo("ultra");
        assertThat(ReasoningEffort.of("ultra"))
                .isNotEqualTo(ReasoningEffort.MAX)
                .hasToString("ultra");
    }

    @Test
    void aBlankValueIsRejectedNamingTheField() {
        assertThatThrownBy(() -> ReasoningEffort.of("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reasoningEffort must not be blank");
        assertThatThrownBy(() -> ReasoningEffort.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewValueGoesIntoTheRequestBodyAsGiven() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("hi")
                .reasoningEffort(ReasoningEffort.of("ultra"))
                .build();

        assertThat(request.reasoningEffort()).contains(ReasoningEffort.of("ultra"));
        assertThat(ChatRequestJson.write(request).path("reasoning_effort").asText())
                .isEqualTo("ultra");
    }
}
