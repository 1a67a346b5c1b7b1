package io.github.llmbridge.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With the module on the class path but {@code LLM_OTEL} false, the JVM loads no OpenTelemetry
 * class at all: the decorator names OpenTelemetry types only in the code that builds the layer.
 * Checked in a fresh JVM that logs every class it loads.
 */
class NothingLoadedWhenDisabledTest {

    private static List<String> loadedClasses(String llmOtel) throws Exception {
        Process java = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xlog:class+load=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LayerProgram.class.getName(),
                        llmOtel)
                .redirectErrorStream(true)
                .start();
        java.getOutputStream().close();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS))
                .as("the program finished")
                .isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    @Test
    void disabledTheLayerLoadsNothingOfOpenTelemetry() throws Exception {
        List<String> lines = loadedClasses("false");

        assertThat(lines).contains("client: ResilientChatClient");
        assertThat(lines).noneMatch(line -> line.contains(" io.opentelemetry."));
    }

    @Test
    void enabledItDoes() throws Exception {
        List<String> lines = loadedClasses("true");

        assertThat(lines).contains("client: OpenTelemetryChatClient");
        assertThat(lines).anyMatch(line -> line.contains(" io.opentelemetry.api.GlobalOpenTelemetry "));
    }
}
