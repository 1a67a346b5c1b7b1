package io.github.llmbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.rllm.GatewayTrace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway rollout example: a tool call and an answer, both read back with their token ids. */
class GatewayRolloutTest {

    @Test
    void theRolloutsTwoModelCallsAreReadBackWithTokenIdsAndLogprobs() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<GatewayTrace> traces;
        try (GatewaySimulator sim = GatewaySimulator.start()) {
            traces = GatewayRollout.run(
                    sim.url().toString(), "sim-model", new PrintStream(printed, true, StandardCharsets.UTF_8));
        }

        assertThat(traces).hasSize(2);
        GatewayTrace toolCall = traces.get(0);
        assertThat(toolCall.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(toolCall.responseMessage().toolCalls())
                .singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo("get_weather"));
        GatewayTrace answer = traces.get(1);
        assertThat(answer.responseMessage().content()).isEqualTo("The weather service says: 18 °C and sunny in Paris");
        // The simulator's tokenizer is UTF-8 bytes: the ids are the answer's bytes, one logprob each.
        byte[] bytes = answer.responseMessage().content().getBytes(StandardCharsets.UTF_8);
        assertThat(answer.completionTokenIds().size()).isEqualTo(bytes.length);
        assertThat(answer.completionTokenIds().get(0)).isEqualTo(bytes[0] & 0xff);
        assertThat(answer.logprobValues()).hasSize(bytes.length);
        assertThat(answer.promptTokenIds().size())
                .isGreaterThan(toolCall.promptTokenIds().size());
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Agent answered after 2 rounds")
                .contains("completion token ids (" + bytes.length + ")")
                .contains("tool calls: get_weather{\"city\": \"Paris\"}");
    }
}
