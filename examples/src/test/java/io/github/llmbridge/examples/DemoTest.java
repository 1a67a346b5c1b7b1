package io.github.llmbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command must work on a fresh machine with no key. */
class DemoTest {

    @Test
    void withNoBackendConfiguredTheDemoJudgesEveryAnswerThroughTheLocalSimulator() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = Demo.run(Map.of(), new PrintStream(captured, true, StandardCharsets.UTF_8));
        String output = captured.toString(StandardCharsets.UTF_8);

        assertThat(status).isZero();
        assertThat(output).contains("using the local simulator", "Backend: litellm", "6 calls, 0 failed");
        assertThat(output.lines().filter(l -> l.startsWith("chat")).toList())
                .hasSize(6)
                .allSatisfy(line -> assertThat(line).containsPattern("-> \\{\"score\": \\d+\\}"));
    }

    @Test
    void aConfiguredButUnreachableBackendFailsWithAClearMessageAndExitStatus1() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = Demo.run(Map.of("LITELLM_PROXY_URL", "http://127.0.0.1:9", "LLM_TIMEOUT_SECONDS", "5"),
                new PrintStream(captured, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Could not start")
                .contains("127.0.0.1:9").contains("refused");
    }
}
