package io.github.llmbridge.tracing.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ContentPart;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TracingChatClient;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canonical form and hash of a request, pinned: a changed value breaks every recorded cache. */
class RequestHashTest {

    private static final ChatRequest GRADE = ChatRequest.builder()
            .model("judge")
            .system("grade")
            .user("2+2?")
            .temperature(0.0)
            .seed(7L)
            .build();

    @Test
    void theCanonicalFormSortsKeysAndWritesNumbersByValue() {
        assertThat(RequestHash.canonical(ChatRequestJson.write(GRADE)))
                .isEqualTo("{\"messages\":[{\"content\":\"grade\",\"role\":\"system\"},{\"content\":\"2+2?\",\"role\":"
                        + "\"user\"}],\"model\":\"judge\",\"seed\":7,\"temperature\":0}");
    }

    @Test
    void theHashIsTheSha256OfTheVersionedCanonicalFormInEveryRelease() {
        // sha256("llm-bridge-request-v1\n" + the canonical form above), computed outside Java
        assertThat(RequestHash.of(GRADE)).isEqualTo("a1887f7dfc48c8cc56df9cfd5edf4ba94dabef9736612d4a7adffa7704114812");
    }

    @Test
    void keyOrderSpacingAndNumberSpellingDoNotChangeTheHash() {
        String a = "{\"model\":\"m\",\"temperature\":0.0,\"top_p\":0.000000001,\"messages\":[]}";
        String b = "{ \"messages\" : [ ], \"top_p\": 1e-9, \"temperature\": 0, \"model\": \"m\" }";
        assertThat(RequestHash.ofRequestJson(a)).isEqualTo(RequestHash.ofRequestJson(b));
        assertThat(RequestHash.ofRequestJson(a))
                .isNotEqualTo(RequestHash.ofRequestJson(a.replace("0.000000001", "0.00000001")));
    }

    @Test
    void aStreamedRequestAsksTheSameQuestion() {
        ObjectNode streamed = ChatRequestJson.write(GRADE);
        streamed.put("stream", true).putObject("stream_options").put("include_usage", true);
        assertThat(RequestHash.ofRequestJson(streamed.toString())).isEqualTo(RequestHash.of(GRADE));
    }

    @Test
    void theBodyStoredInATraceHashesAsTheRequestDidWithInlineMediaAsItsDigest(@TempDir Path dir) {
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
        ChatRequest withImage = ChatRequest.builder()
                .model("vision-judge")
                .messages(List.of(ChatMessage.user(ContentPart.text("what is it?"), ContentPart.imageUrl(image))))
                .temperature(0.0)
                .build();
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"));
                TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store)) {
            client.chat(withImage);
            client.chat(GRADE);
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            List<String> stored = store.find(TraceQuery.builder().build()).stream()
                    .map(t -> RequestHash.ofRequestJson(t.requestJson()))
                    .toList();
            assertThat(stored).containsExactlyInAnyOrder(RequestHash.of(withImage), RequestHash.of(GRADE));
        }
    }

    @Test
    void aStoredBodyThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> RequestHash.ofRequestJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request_json is not a JSON object");
        assertThatThrownBy(() -> RequestHash.ofRequestJson("{"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("request_json is not JSON");
    }
}
