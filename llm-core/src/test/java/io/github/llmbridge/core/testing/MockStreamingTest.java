package io.github.llmbridge.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The mock backend streams a text reply token by token, and the assembled reply is the one chat() returns. */
class MockStreamingTest {

    private final ChatRequest request =
            ChatRequest.builder().model("m").user("what is two plus two").build();

    @Test
    void aTextReplyArrivesTokenByTokenThenTheFinishAndUsage() throws Exception {
        MockChatClient mock = new MockChatClient(null, Duration.ZERO);
        List<ChatChunk> chunks = new ArrayList<>();

        ChatResponse streamed = mock.streamAsync(request, chunks::add).get(5, TimeUnit.SECONDS);
        ChatResponse whole = mock.chat(request);

        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks.stream().map(ChatChunk::content).reduce("", String::concat))
                .isEqualTo("echo: what is two plus two");
        assertThat(chunks.get(chunks.size() - 1).finishReason()).contains(FinishReason.STOP);
        assertThat(chunks.get(chunks.size() - 1).usage()).contains(whole.usage());
        assertThat(streamed.choices()).isEqualTo(whole.choices());
        assertThat(streamed.usage()).isEqualTo(whole.usage());
    }

    @Test
    void aToolCallArrivesAsOneWholeChunk() throws Exception {
        MockChatClient mock = new MockChatClient(null, Duration.ZERO);
        ChatRequest withTool = request.toBuilder()
                .tools(List.of(Tool.function("lookup", "finds things")))
                .build();
        List<ChatChunk> chunks = new ArrayList<>();

        ChatResponse streamed = mock.streamAsync(withTool, chunks::add).get(5, TimeUnit.SECONDS);

        assertThat(chunks)
                .singleElement()
                .satisfies(c -> assertThat(c.toolCalls()).hasSize(1));
        assertThat(streamed.toolCalls()).hasSize(1);
    }
}
