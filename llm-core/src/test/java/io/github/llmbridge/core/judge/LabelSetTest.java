package io.github.llmbridge.core.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a label set accepts, and how tokens match its labels. */
class LabelSetTest {

    @Test
    void aRangeHoldsEachNumberWorthItself() {
        LabelSet set = LabelSet.range(1, 10);

        assertThat(set.labels()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(set.value("10")).isEqualTo(10.0);
        assertThatThrownBy(() -> set.value("11")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensMatchIgnoringWhitespaceQuotesMarkdownAndCase() {
        LabelSet yesNo = LabelSet.yesNo();

        assertThat(yesNo.match(" Yes")).contains("yes");
        assertThat(yesNo.match("**no**")).contains("no");
        assertThat(yesNo.match("\"YES\"")).contains("yes");
        assertThat(yesNo.match("yes.")).contains("yes");
        assertThat(yesNo.match("yesterday")).isEmpty();
        assertThat(yesNo.caseSensitive(true).match("Yes")).isEmpty();
        assertThat(LabelSet.range(1, 10).match(" 7\n")).contains("7");
        assertThat(LabelSet.isDecoration(" **")).isTrue();
        assertThat(LabelSet.isDecoration("\n\n")).isTrue();
        assertThat(LabelSet.isDecoration("Score")).isFalse();
    }

    @Test
    void labelsThatMatchEachOtherOrCannotBeMatchedAreRejected() {
        Map<String, Integer> clash = new LinkedHashMap<>();
        clash.put("Yes", 1);
        clash.put("yes", 0);
        assertThatThrownBy(() -> LabelSet.of(clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels 'Yes' and 'yes' match each other (matching ignores case unless"
                        + " caseSensitive(true))");
        assertThat(LabelSet.of(clash, true).labels())
                .as("case-sensitive, they are two labels")
                .containsExactly("Yes", "yes");

        assertThatThrownBy(() -> LabelSet.of(Map.of("**", 1, "a", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only whitespace, quotes or punctuation");
        assertThatThrownBy(() -> LabelSet.of(Map.of("a", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two labels");
        assertThatThrownBy(() -> LabelSet.of(Map.of("a", Double.NaN, "b", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be finite");
        assertThatThrownBy(() -> LabelSet.range(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
