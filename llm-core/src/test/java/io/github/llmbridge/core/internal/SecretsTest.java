package io.github.llmbridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void overlappingSecretsAreScrubbedWhole() {
        String text = "keys: sk-1234-LONGSECRETTAIL and sk-1234";
        String scrubbed = Secrets.scrub(text, List.of("sk-1234", "sk-1234-LONGSECRETTAIL"));
        assertThat(scrubbed).isEqualTo("keys: " + Secrets.REDACTED + " and " + Secrets.REDACTED);
        assertThat(scrubbed).doesNotContain("LONGSECRETTAIL");
    }

    @Test
    void shortAndMissingSecretsAreIgnored() {
        assertThat(Secrets.scrub("abc token", java.util.Arrays.asList(null, "abc")))
                .isEqualTo("abc token");
    }
}
