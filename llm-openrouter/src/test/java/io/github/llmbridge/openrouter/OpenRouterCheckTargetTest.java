package io.github.llmbridge.openrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.check.CheckTarget;
import org.junit.jupiter.api.Test;

/**
 * The connection check's view of an OpenRouter client, offered through
 * {@code unwrap(CheckTarget.class)}: it may be logged, so it shows no secret.
 */
class OpenRouterCheckTargetTest {

    @Test
    void toStringShowsNeitherTheKeyNorTheBaseUrlsCredentials() {
        try (OpenRouterChatClient c = OpenRouterChatClient.builder()
                .apiKey("sk-or-v1-CHECKTARGETKEY01")
                .baseUrl("https://gwuser:GwPassw0rdSECRET@gateway.example/api/v1?token=QuerySECRET")
                .build()) {
            CheckTarget target = c.unwrap(CheckTarget.class).orElseThrow();

            assertThat(target.toString())
                    .contains("gateway.example")
                    .doesNotContain("GwPassw0rdSECRET")
                    .doesNotContain("QuerySECRET")
                    .doesNotContain("CHECKTARGETKEY01");
            assertThat(target.backend()).isSameAs(c);
        }
    }
}
