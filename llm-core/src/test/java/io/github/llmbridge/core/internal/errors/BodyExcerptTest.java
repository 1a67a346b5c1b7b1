package io.github.llmbridge.core.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The excerpts that error messages and DEBUG log lines show of a body. */
class BodyExcerptTest {

    private static final String KEY = "sk-or-v1-0123456789abcdef";
    private static final CallContext CTX =
            new CallContext("openrouter", "m", URI.create("https://h/api/v1"), List.of(KEY));

    @Test
    void scrubsTheKeyBeforeCuttingSoNoPartOfItSurvivesTheCut() {
        String body = "x".repeat(190) + KEY + "y".repeat(100);
        String excerpt = BodyExcerpt.of(body.getBytes(StandardCharsets.UTF_8), CTX, 200);

        assertThat(excerpt).doesNotContain("sk-or-v1").startsWith("x".repeat(190) + "[REDACTED]");
        assertThat(excerpt).hasSize(203).endsWith("...");
    }

    @Test
    void collapsesWhitespaceAndKeepsShortBodiesWhole() {
        assertThat(BodyExcerpt.of("{\n  \"a\":\t1 }".getBytes(StandardCharsets.UTF_8), CTX, 200))
                .isEqualTo("{ \"a\": 1 }");
        assertThat(BodyExcerpt.of(new byte[0], CTX, 200)).isEmpty();
    }

    @Test
    void aKeyCutByTheEndOfTheDecodedWindowLeavesNoPrefixBehind() {
        // 200 shown characters decode a window of 200 * 4 + 4096 = 4896 bytes. Whitespace before the
        // key collapses, so whatever survives of the window's end would be shown.
        int window = 200 * 4 + 4096;
        for (int keyStart = window - KEY.length() + 1; keyStart < window; keyStart++) {
            String body = " ".repeat(keyStart) + KEY + " tail";
            String excerpt = BodyExcerpt.of(body.getBytes(StandardCharsets.UTF_8), CTX, 200);
            assertThat(excerpt).as("key starting at byte %d", keyStart).doesNotContain("sk-");
        }
    }
}
