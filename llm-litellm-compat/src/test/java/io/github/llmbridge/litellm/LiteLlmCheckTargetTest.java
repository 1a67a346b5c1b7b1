package io.github.llmbridge.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.check.CheckTarget;
import org.junit.jupiter.api.Test;

/**
 * The connection check's view of a LiteLLM client, offered through
 * {@code unwrap(CheckTarget.class)}: it may be logged, so it shows no secret.
 */
class LiteLlmCheckTargetTest {

    @Test
    void toStringShowsNeitherTheKeyNorTheServerUrlsCredentials() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                .serverUrl("http://gwuser:GwPassw0rdSECRET@llm-gateway.example:4000/v1")
                .apiKey("sk-CHECKTARGETKEY02")
                .build()) {
            CheckTarget target = c.unwrap(CheckTarget.class).orElseThrow();

            assertThat(target.toString())
                    .contains("llm-gateway.example")
                    .doesNotContain("GwPassw0rdSECRET")
                    .doesNotContain("CHECKTARGETKEY02");
            assertThat(target.backend()).isSameAs(c);
        }
    }
}
