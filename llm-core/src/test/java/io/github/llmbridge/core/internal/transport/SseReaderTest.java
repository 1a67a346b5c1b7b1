package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.internal.errors.ResponseTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE reader follows the event-stream format of the HTML standard. */
class SseReaderTest {

    @Test
    void joinsMultiLineDataWithNewlinesAndKeepsTheEventName() throws IOException {
        assertThat(events("event: error\ndata: {\"a\":\ndata: 1}\n\n"))
                .containsExactly(new SseReader.Event("error", "{\"a\":\n1}"));
    }

    @Test
    void acceptsCrLfLfAndCrLineEndsAlike() throws IOException {
        assertThat(events("data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n"))
                .extracting(SseReader.Event::data)
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void skipsCommentsAndCountsThem() throws IOException {
        SseReader reader = reader(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\ndata: x\n\n", 1024);
        assertThat(reader.next()).isEqualTo(new SseReader.Event("message", "x"));
        assertThat(reader.next()).isNull();
        assertThat(reader.comments()).isEqualTo(2);
    }

    @Test
    void dropsOnlyOneSpaceAfterTheColonAndIgnoresOtherFields() throws IOException {
        assertThat(events("id: 7\nretry: 10\ndata:  two spaces\ndata:none\n\n"))
                .extracting(SseReader.Event::data)
                .containsExactly(" two spaces\nnone");
    }

    @Test
    void readsCharactersSplitAcrossReadsWhole() throws IOException {
        String text = "data: {\"content\":\"héllo 日本 🎉\"}\r\n\r\n";
        SseReader reader = new SseReader(oneByteAtATime(text), 1024);
        assertThat(reader.next().data()).isEqualTo("{\"content\":\"héllo 日本 🎉\"}");
    }

    @Test
    void aCrAtTheEndOfOneReadAndItsLfInTheNextMakeOneLineEnd() throws IOException {
        SseReader reader = new SseReader(oneByteAtATime("data: a\r\n\r\ndata: b\r\n\r\n"), 1024);
        assertThat(reader.next().data()).isEqualTo("a");
        assertThat(reader.next().data()).isEqualTo("b");
        assertThat(reader.next()).isNull();
    }

    @Test
    void anEventNotEndedByABlankLineIsDropped() throws IOException {
        assertThat(events("data: a\n\ndata: unfinished"))
                .extracting(SseReader.Event::data)
                .containsExactly("a");
    }

    @Test
    void aBodyPastTheCapFails() {
        SseReader reader = reader("data: " + "x".repeat(100) + "\n\n", 50);
        assertThatThrownBy(reader::next).isInstanceOf(ResponseTooLargeException.class);
    }

    private static List<SseReader.Event> events(String body) throws IOException {
        SseReader reader = reader(body, 1 << 20);
        List<SseReader.Event> list = new ArrayList<>();
        for (SseReader.Event e = reader.next(); e != null; e = reader.next()) {
            list.add(e);
        }
        return list;
    }

    private static SseReader reader(String body, long cap) {
        return new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), cap);
    }

    private static InputStream oneByteAtATime(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[at++];
                return 1;
            }
        };
    }
}
