package io.github.llmbridge.core.internal.transport;

import io.github.llmbridge.core.internal.errors.ResponseTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events from a body as the HTML living standard defines them: lines end with
 * CRLF, LF or CR; a line starting with {@code :} is a comment (OpenRouter's
 * {@code : OPENROUTER PROCESSING} keep-alive), skipped; {@code data:} lines of one event are
 * joined with {@code \n}; {@code event:} names the event; a blank line dispatches it; one space
 * after the colon is dropped; other fields ({@code id}, {@code retry}) are ignored. Lines are
 * decoded as UTF-8 only once complete, so a character split across two network reads is read
 * whole. The body's total size is capped like a non-streamed reply's.
 */
final class SseReader {

    /** One dispatched event. {@code type} is {@code "message"} unless an {@code event:} line named it. */
    record Event(String type, String data) {}

    private final InputStream in;
    private final long maxBytes;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;
    private long total;
    private boolean eof;
    private boolean skipLf; // the last line ended with CR: a LF right after it belongs to it
    private byte[] line = new byte[256];
    private int lineLength;
    private int comments;

    SseReader(InputStream in, long maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Returns how many comment lines were skipped so far. */
    int comments() {
        return comments;
    }

    /** Returns how many body bytes were read so far. */
    long bytesRead() {
        return total;
    }

    /**
     * Returns the next event, or {@code null} at the end of the body (an event not ended by a
     * blank line is dropped, as the standard says).
     *
     * @throws ResponseTooLargeException when the body passes the size cap
     */
    Event next() throws IOException {
        StringBuilder data = null;
        String type = null;
        while (true) {
            String l = readLine();
            if (l == null) {
                return null;
            }
            if (l.isEmpty()) {
                if (data != null) {
                    return new Event(type == null ? "message" : type, data.toString());
                }
                type = null; // an event without data is not dispatched
                continue;
            }
            if (l.charAt(0) == ':') {
                comments++;
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = "";
            if (colon >= 0) {
                int from = colon + 1 < l.length() && l.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
                value = l.substring(from);
            }
            if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
            } else if (field.equals("event")) {
                type = value;
            }
        }
    }

    /** Returns the next line without its terminator, or {@code null} at the end of the body. */
    private String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (start == end && !fill()) {
                if (lineLength > 0) {
                    String last = decodeLine();
                    lineLength = 0;
                    return last;
                }
                return null;
            }
            if (skipLf) {
                skipLf = false;
                if (buffer[start] == '\n') {
                    start++;
                    continue;
                }
            }
            for (int i = start; i < end; i++) {
                byte b = buffer[i];
                if (b == '\n' || b == '\r') {
                    append(start, i);
                    start = i + 1;
                    skipLf = b == '\r';
                    return decodeLine();
                }
            }
            append(start, end);
            start = end;
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(buffer, from, line, lineLength, n);
        lineLength += n;
    }

    private String decodeLine() {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        total += n;
        if (total > maxBytes) {
            throw new ResponseTooLargeException(maxBytes);
        }
        start = 0;
        end = n;
        return true;
    }
}
