package io.github.llmbridge.core.internal.errors;

import io.github.llmbridge.core.internal.Secrets;
import java.nio.charset.StandardCharsets;

/**
 * The start of a body, fit for a message or a log line: secrets scrubbed first (a key cut in
 * half by truncation would no longer match), whitespace collapsed, then cut to length.
 */
public final class BodyExcerpt {

    private BodyExcerpt() {}

    /**
     * Returns at most {@code maxChars} characters of the body's start, secrets scrubbed and
     * whitespace collapsed, with {@code ...} when cut.
     */
    public static String of(byte[] body, CallContext ctx, int maxChars) {
        if (body == null || body.length == 0) {
            return "";
        }
        // Decode a window a good deal longer than shown (whitespace may collapse). Scrub it; if the
        // window ended inside the body, a key cut by the window's end can only sit in its last
        // (longest secret - 1) characters, so drop those before showing anything.
        int decode = (int) Math.min(body.length, maxChars * 4L + 4096);
        String text = Secrets.scrub(new String(body, 0, decode, StandardCharsets.UTF_8), ctx.secrets());
        if (decode < body.length) {
            int longestSecret =
                    ctx.secrets().stream().mapToInt(String::length).max().orElse(0);
            text = text.substring(0, Math.max(0, text.length() - longestSecret));
        }
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "...";
    }
}
