package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link StoredMedia} on request and reply JSON, for the shapes the public-API tests
 * ({@link TracedMediaTest}) do not reach: part types this library does not model, other
 * encodings, broken base64, and which query parameters count as credentials.
 */
class StoredMediaTest {

    private final StoredMedia digests = new StoredMedia(false);

    @Test
    void aDataUriInAPartTypeThisLibraryDoesNotModelIsDigested() throws Exception {
        ObjectNode body = body("""
                {"type": "video_url", "video_url": {"url": "data:video/mp4;base64,AAAAIGZ0eXBpc29t"}}""");

        digests.request(body);

        byte[] bytes = java.util.Base64.getDecoder().decode("AAAAIGZ0eXBpc29t");
        assertThat(body.at("/messages/0/content/0/video_url/url").asText())
                .isEqualTo("data:video/mp4;sha256=" + StoredMedia.sha256(bytes) + ";bytes=12");
    }

    @Test
    void aPercentEncodedDataUriIsDigestedAsItsDecodedBytesUnderItsMediaType() throws Exception {
        ObjectNode body = body("""
                {"type": "image_url", "image_url": {"url": "data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E"}}""");

        digests.request(body);

        byte[] svg = "<svg/>".getBytes(StandardCharsets.UTF_8);
        assertThat(body.at("/messages/0/content/0/image_url/url").asText())
                .isEqualTo("data:image/svg+xml;sha256=" + StoredMedia.sha256(svg) + ";bytes=6");
    }

    @Test
    void base64ThatIsNotValidIsDigestedAsTheTextThatWasSent() throws Exception {
        ObjectNode body = body("""
                {"type": "input_audio", "input_audio": {"data": "not base64!", "format": "mp3"}}""");

        digests.request(body);

        byte[] text = "not base64!".getBytes(StandardCharsets.UTF_8);
        assertThat(body.at("/messages/0/content/0/input_audio").toString())
                .isEqualTo("{\"data\":\"data:audio/mpeg;sha256=" + StoredMedia.sha256(text)
                        + ";bytes=11\",\"format\":\"mp3\"}");
    }

    @Test
    void fileDataSentAsPlainBase64IsDigestedAsAnOctetStream() throws Exception {
        ObjectNode body = body("""
                {"type": "file", "file": {"filename": "a.pdf", "file_data": "JVBERi0xLjQK"}}""");

        digests.request(body);

        byte[] pdf = "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(body.at("/messages/0/content/0/file/file_data").asText())
                .isEqualTo("data:application/octet-stream;sha256=" + StoredMedia.sha256(pdf) + ";bytes=9");
        assertThat(body.at("/messages/0/content/0/file/filename").asText()).isEqualTo("a.pdf");
    }

    @Test
    void aStoredBodyRunThroughAgainIsUnchanged() throws Exception {
        ObjectNode body = body("""
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}""");
        digests.request(body);
        JsonNode once = body.deepCopy();

        digests.request(body);

        assertThat(body).isEqualTo(once);
    }

    @Test
    void aReplyWithoutMediaIsStoredAsTheSameTreeWithoutACopy() throws Exception {
        JsonNode reply = Json.MAPPER.readTree("""
                {"choices": [{"message": {"role": "assistant", "content": "data:image/png;base64,iVBORw0KGgo=",
                  "annotations": [{"type": "url_citation", "url_citation": {"url": "https://example.com/?q=1"}}]}}]}""");

        assertThat(digests.reply(reply, null)).isSameAs(reply);
    }

    @Test
    void queryParametersThatCarryCredentialsAreTheSigningSchemesOnes() {
        for (String name : List.of(
                "X-Amz-Signature",
                "X-Amz-Credential",
                "X-Amz-Security-Token",
                "X-Goog-Signature",
                "X-Goog-Credential",
                "GoogleAccessId",
                "AWSAccessKeyId",
                "Signature",
                "sig",
                "Policy",
                "Key-Pair-Id",
                "token",
                "access_token",
                "api_key",
                "apiKey",
                "key",
                "client_secret",
                "X%2DAmz%2DSignature")) {
            assertThat(StoredMedia.isCredential(name)).as(name).isTrue();
        }
        for (String name : List.of(
                "X-Amz-Algorithm",
                "X-Amz-Date",
                "X-Amz-Expires",
                "X-Amz-SignedHeaders",
                "Expires",
                "sv",
                "se",
                "sp",
                "sr",
                "id",
                "w",
                "format")) {
            assertThat(StoredMedia.isCredential(name)).as(name).isFalse();
        }
    }

    @Test
    void aUrlWithoutQueryOrUserInfoIsKeptAsWritten() {
        for (String url : List.of(
                "https://example.com/chart.png",
                "https://example.com/chart.png#frag",
                "http://example.com:8080/a/b.png?id=7&flag",
                "https://example.com?token")) { // a parameter without a value has none to redact
            assertThat(StoredMedia.redactUrl(url)).isEqualTo(url);
        }
        assertThat(StoredMedia.redactUrl("https://u:p@example.com")).isEqualTo("https://****@example.com");
    }

    private static ObjectNode body(String parts) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(
                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [" + parts + "]}]}");
    }
}
