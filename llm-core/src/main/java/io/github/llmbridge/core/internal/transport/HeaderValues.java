package io.github.llmbridge.core.internal.transport;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;

/**
 * Checks, when a client is built, that configured header values can be sent at all. The JDK
 * refuses header values with control characters or characters outside ISO-8859-1, and it would
 * otherwise do so on every call, with a message that quotes the header (and so the key).
 */
public final class HeaderValues {

    private HeaderValues() {}

    /**
     * Checks a value that will be sent in a header.
     *
     * @param value  the value ({@code null} is allowed and means "not sent")
     * @param source the variable or builder method it came from, named in the message
     * @param secret whether the value is a key: its message then never shows it, and whitespace
     *               inside it is an error too (a key never contains any)
     * @throws LlmException category configuration naming the source and the bad character's position
     */
    public static void requireSendable(String value, String source, boolean secret) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || c == 0x7f;
            boolean outsideLatin1 = c > 0xff;
            boolean spaceInKey = secret && Character.isWhitespace(c);
            if (control || outsideLatin1 || spaceInKey) {
                String what = secret
                        ? "character " + (i + 1) + " of " + value.length()
                        : String.format("character %d ('%s', U+%04X)", i + 1, c, (int) c);
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        source + " contains " + what
                                + ", which cannot be sent in an HTTP header"
                                + (secret
                                        ? "; was the key pasted with an invisible character or a line break?"
                                        : "; use plain ASCII"));
            }
        }
    }
}
