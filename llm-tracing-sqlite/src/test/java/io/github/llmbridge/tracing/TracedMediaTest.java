package io.github.llmbridge.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ContentPart;
import io.github.llmbridge.core.internal.Json;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a trace stores of images, audio and files: inline media as its media type, size and
 * SHA-256 unless the store keeps full media, URLs as sent but with their credentials redacted,
 * and everything else exactly as it went over the wire.
 */
class TracedMediaTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-media-test-0123456789abcdef";
    private static final String REPLY = """
            {"id": "chatcmpl-v1", "model": "gpt-4o-2024-08-06", "choices": [{"index": 0, "finish_reason": "stop",
             "message": {"role": "assistant", "content": "7"}}]}""";

    /** A 300 KB "image": 400 KB of base64 on the wire. */
    private static final byte[] IMAGE = randomBytes(300_000, 1);

    @TempDir
    Path dir;

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
    }

    @Test
    void aDataUriImageIsStoredAsItsMediaTypeSizeAndSha256() throws Exception {
        ChatRequest request = visionRequest(ContentPart.image(IMAGE, "image/png"));

        TraceRecord t = traceOne(SqliteTraceStore.builder(dir.resolve("t.db")), request);

        JsonNode wire = WireBackend.onlyBody(wm);
        String base64 = Base64.getEncoder().encodeToString(IMAGE);
        assertThat(wire.at("/messages/1/content/1/image_url/url").asText())
                .isEqualTo("data:image/png;base64," + base64); // the model saw the image
        String digest = "data:image/png;sha256=" + sha256(IMAGE) + ";bytes=300000";
        assertThat(t.requestJson()).doesNotContain(base64.substring(0, 64)).hasSizeLessThan(1_000);
        JsonNode stored = Json.MAPPER.readTree(t.requestJson());
        assertThat(stored.at("/messages/1/content/1/image_url/url").asText()).isEqualTo(digest);
        // everything else, the part's detail included, is the wire body
        ((ObjectNode) wire.at("/messages/1/content/1/image_url")).put("url", digest);
        assertThat(stored).isEqualTo(wire);
    }

    @Test
    void fullMediaKeepsInlineDataAsSent() throws Exception {
        ChatRequest request = visionRequest(ContentPart.image(IMAGE, "image/png"));

        TraceRecord t = traceOne(SqliteTraceStore.builder(dir.resolve("t.db")).fullMedia(true), request);

        assertThat(Json.MAPPER.readTree(t.requestJson())).isEqualTo(WireBackend.onlyBody(wm));
        assertThat(t.requestJson()).contains(Base64.getEncoder().encodeToString(IMAGE));
    }

    @Test
    void inlineAudioAndFilesAreStoredAsDigestsToo() throws Exception {
        byte[] wav = randomBytes(20_000, 2);
        byte[] pdf = randomBytes(50_000, 3);
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o-audio-preview")
                .message(ChatMessage.user(
                        ContentPart.text("Transcribe, then check against the attached form."),
                        ContentPart.audio(wav, "wav"),
                        ContentPart.file(pdf, "application/pdf", "form.pdf"),
                        ContentPart.fileId("file-abc123")))
                .build();

        TraceRecord t = traceOne(SqliteTraceStore.builder(dir.resolve("t.db")), request);

        JsonNode wire = WireBackend.onlyBody(wm);
        JsonNode stored = Json.MAPPER.readTree(t.requestJson());
        assertThat(stored.at("/messages/0/content/1/input_audio/data").asText())
                .isEqualTo("data:audio/wav;sha256=" + sha256(wav) + ";bytes=20000");
        assertThat(stored.at("/messages/0/content/2/file/file_data").asText())
                .isEqualTo("data:application/pdf;sha256=" + sha256(pdf) + ";bytes=50000");
        ((ObjectNode) wire.at("/messages/0/content/1/input_audio"))
                .put("data", "data:audio/wav;sha256=" + sha256(wav) + ";bytes=20000");
        ((ObjectNode) wire.at("/messages/0/content/2/file"))
                .put("file_data", "data:application/pdf;sha256=" + sha256(pdf) + ";bytes=50000");
        assertThat(stored).isEqualTo(wire); // text, format, filename and the uploaded file's id as sent
    }

    @Test
    void replyAudioAndGeneratedImagesAreStoredAsDigestsAndTheCallersReplyKeepsThem() throws Exception {
        byte[] speech = randomBytes(30_000, 4);
        byte[] picture = randomBytes(40_000, 5);
        String speech64 = Base64.getEncoder().encodeToString(speech);
        String picture64 = Base64.getEncoder().encodeToString(picture);
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-a", "model": "gpt-4o-audio-preview", "choices": [{"index": 0,
                 "finish_reason": "stop", "message": {"role": "assistant", "content": null,
                  "audio": {"id": "audio_1", "data": "%s", "expires_at": 1764003600, "transcript": "Seven."},
                  "images": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"}}]}}]}""".formatted(speech64, picture64))));
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o-audio-preview")
                .user("Say the score out loud and draw it.")
                .modalities("text", "audio")
                .extraBody("audio", Map.of("voice", "alloy", "format", "wav"))
                .build();

        ChatResponse[] reply = new ChatResponse[1];
        TraceRecord t = traceOne(SqliteTraceStore.builder(dir.resolve("t.db")), request, reply);

        JsonNode stored = Json.MAPPER.readTree(t.responseJson());
        JsonNode message = stored.at("/choices/0/message");
        assertThat(message.at("/audio/data").asText())
                .isEqualTo("data:audio/wav;sha256=" + sha256(speech) + ";bytes=30000");
        assertThat(message.at("/audio/transcript").asText()).isEqualTo("Seven.");
        assertThat(message.at("/audio/id").asText()).isEqualTo("audio_1");
        assertThat(message.at("/images/0/image_url/url").asText())
                .isEqualTo("data:image/png;sha256=" + sha256(picture) + ";bytes=40000");
        assertThat(t.responseJson())
                .doesNotContain(speech64.substring(0, 64))
                .doesNotContain(picture64.substring(0, 64));
        // the reply the caller holds is not touched by the writer
        assertThat(reply[0].raw().at("/choices/0/message/audio/data").asText()).isEqualTo(speech64);
        assertThat(reply[0].raw()
                        .at("/choices/0/message/images/0/image_url/url")
                        .asText())
                .isEqualTo("data:image/png;base64," + picture64);
    }

    @Test
    void credentialsInImageUrlsAreRedactedAndTheRestOfEachUrlIsKept() throws Exception {
        String s3 = "https://bucket.s3.us-east-1.amazonaws.com/shots/run-7.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261129%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20261129T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";
        String azure = "https://acct.blob.core.windows.net/shots/run-7.png?sv=2024-11-04&se=2026-12-01T00%3A00%3A00Z"
                + "&sr=b&sp=r&sig=Xy7%2Bq1abcDEF%3D";
        String withPassword = "https://judge:pa55w0rd-long@images.example.com/chart.png?id=42&size=large#top";
        String plain = "https://example.com/chart.png?id=42&w=800";
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o")
                .message(ChatMessage.user(
                        ContentPart.text("Compare these."),
                        ContentPart.imageUrl(s3),
                        ContentPart.imageUrl(azure),
                        ContentPart.imageUrl(withPassword),
                        ContentPart.imageUrl(plain)))
                .build();

        TraceRecord t = traceOne(SqliteTraceStore.builder(dir.resolve("t.db")).fullMedia(true), request);

        JsonNode content = Json.MAPPER.readTree(t.requestJson()).at("/messages/0/content");
        assertThat(content.at("/1/image_url/url").asText())
                .isEqualTo("https://bucket.s3.us-east-1.amazonaws.com/shots/run-7.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                        + "&X-Amz-Credential=[REDACTED]&X-Amz-Date=20261129T120000Z&X-Amz-Expires=300"
                        + "&X-Amz-SignedHeaders=host&X-Amz-Signature=[REDACTED]");
        assertThat(content.at("/2/image_url/url").asText())
                .isEqualTo("https://acct.blob.core.windows.net/shots/run-7.png?sv=2024-11-04"
                        + "&se=2026-12-01T00%3A00%3A00Z&sr=b&sp=r&sig=[REDACTED]");
        assertThat(content.at("/3/image_url/url").asText())
                .isEqualTo("https://****@images.example.com/chart.png?id=42&size=large#top");
        assertThat(content.at("/4/image_url/url").asText()).isEqualTo(plain);
        assertThat(WireBackend.onlyBody(wm)
                        .at("/messages/0/content/1/image_url/url")
                        .asText())
                .isEqualTo(s3); // redacted in the trace only
    }

    @Test
    void textThatContainsADataUriIsStoredAsWritten() throws Exception {
        String inText = "Is this a valid PNG data URI? data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==";
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o")
                .user(inText)
                .message(ChatMessage.user(ContentPart.text(inText), ContentPart.text("And this one?")))
                .build();

        TraceRecord t = traceOne(SqliteTraceStore.builder(dir.resolve("t.db")), request);

        assertThat(Json.MAPPER.readTree(t.requestJson())).isEqualTo(WireBackend.onlyBody(wm));
    }

    private static ChatRequest visionRequest(ContentPart.Image image) {
        return ChatRequest.builder()
                .model("gpt-4o")
                .system("You grade charts.")
                .message(ChatMessage.user(
                        ContentPart.text("Score this chart from 1 to 10."),
                        image.withDetail(ContentPart.ImageDetail.LOW)))
                .temperature(0.0)
                .build();
    }

    private TraceRecord traceOne(SqliteTraceStore.Builder builder, ChatRequest request) throws Exception {
        return traceOne(builder, request, new ChatResponse[1]);
    }

    private TraceRecord traceOne(SqliteTraceStore.Builder builder, ChatRequest request, ChatResponse[] reply) {
        try (SqliteTraceStore store = builder.redact(List.of(KEY)).open();
                TracingChatClient client = TracingChatClient.wrap(new WireBackend(wm, KEY), store)) {
            reply[0] = client.chat(request);
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
