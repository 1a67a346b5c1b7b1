package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariables;
import io.github.llmbridge.core.settings.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Doctor output gets pasted into tickets: it must never show a proxy password, however the
 * variable is written. No network: a bad USE_OPENROUTER_DIRECT stops it after the configuration block.
 */
class DoctorSecretsTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            https_proxy | alice:hunter22@corp-proxy:3128          | hunter22
            HTTPS_PROXY | http://alice:hun/ter22@corp-proxy:3128  | ter22
            HTTP_PROXY  | http://alice:hun@ter22@corp-proxy:3128  | ter22
            LLM_PROXY   | alice:hunter22@corp-proxy:3128          | hunter22
            """)
    void doctorNeverPrintsAProxyPassword(String variable, String value, String secretPart) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Doctor.run(
                Map.of(variable, value, "USE_OPENROUTER_DIRECT", "maybe"),
                List.of(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(2));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains(variable).doesNotContain(secretPart);
    }

    /** Every spelling of every variable the registry marks secret: keys, tokens and their fallbacks. */
    static Stream<String> secretNames() {
        return ConfigVariables.all().stream()
                .filter(ConfigVariable::secret)
                .flatMap(v -> v.names().stream())
                .distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secretNames")
    void doctorMasksEveryVariableTheRegistryMarksSecret(String name) {
        String secret = "sk-secret-value-" + name.length() + "-tail";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Doctor.run(
                Map.of(name, secret, "USE_OPENROUTER_DIRECT", "maybe"),
                List.of(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(2));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(secretNames()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(text).contains(String.format("  %-32s ****tail", name)).doesNotContain(secret);
    }

    @Test
    void aBadProxyPortIsReportedNotThrown() {
        Map<String, String> env =
                Map.of("LITELLM_PROXY_URL", "http://10.9.9.9:4000", "HTTP_PROXY", "http://corp:99999");
        assertThat(catchThrowable(() -> ConnectionCheck.run(Settings.of(env), "gpt-4o-mini")))
                .isNull();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(catchThrowable(() -> Doctor.run(
                        env, List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofSeconds(2))))
                .isNull();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("HTTP_PROXY", "port must be from 1 to 65535");
    }
}
