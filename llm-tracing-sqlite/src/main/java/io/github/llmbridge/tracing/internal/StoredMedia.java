package io.github.llmbridge.tracing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a trace stores of the media in a request or reply. Inline media can be megabytes of base64
 * per call, so unless the store keeps full media, each inline image, audio clip or file is
 * replaced by its <em>digest</em>, a string of the form
 *
 * <pre>{@code data:image/png;sha256=<64 hex digits>;bytes=12345}</pre>
 *
 * <p>the media type, the SHA-256 of the decoded bytes (what {@code sha256sum} prints for the
 * original file) and their count. It stays a string where a string was, so the body keeps its
 * shape; it has no comma, so it can never be mistaken for a {@code data:} URI that carries data.
 * Replaced: any {@code data:} URI inside a non-text content part of a request message (an
 * {@code image_url}'s {@code url}, a {@code file}'s {@code file_data}, or anywhere in a part type
 * this library does not model), the base64 of {@code input_audio.data} (media type from its
 * {@code format}) and of a {@code file_data} sent without a {@code data:} prefix; in a reply,
 * {@code message.audio.data} and any {@code data:} URI in a choice's message outside its text
 * fields (e.g. OpenRouter's generated {@code images}). Text is never rewritten: a prompt that
 * happens to contain a {@code data:} URI is stored as written.
 *
 * <p>Always, full media or not: the values of query parameters that carry a credential in an
 * {@code http(s)} URL in those places (presigned S3, GCS, Azure SAS and CloudFront URLs: names
 * such as {@code X-Amz-Signature}, {@code X-Goog-Credential}, {@code sig}, {@code Policy},
 * {@code token}) become {@code [REDACTED]}, and a {@code user:password@} part becomes
 * {@code ****@}. A signed URL is a bearer credential that outlives the call; the rest of the URL is
 * kept because it says which resource the model saw.
 */
public final class StoredMedia {

    /**
     * Fields of a reply message that the generic walk leaves alone: text (a reply that happens to
     * contain a {@code data:} URI is stored as written), what must be sent back as received, and
     * the two handled on their own ({@code content} parts, {@code audio}).
     */
    private static final Set<String> REPLY_SKIPPED_FIELDS =
            Set.of("content", "refusal", "reasoning", "reasoning_content", "reasoning_details", "tool_calls", "audio");

    /** Query parameter names (lower case) that are credentials in the signing schemes people use. */
    private static final Set<String> CREDENTIAL_PARAMETERS =
            Set.of("sig", "key", "policy", "key-pair-id", "googleaccessid", "awsaccesskeyid");

    /** Parts of query parameter names (lower case) that mark a credential. */
    private static final List<String> CREDENTIAL_WORDS =
            List.of("signature", "token", "credential", "secret", "password", "apikey", "api_key", "auth");

    private static final String OCTET_STREAM = "application/octet-stream";

    private final boolean fullMedia;

    /**
     * Creates the rules a store applies.
     *
     * @param fullMedia keep inline media as sent instead of its digest (credentials in URLs are
     *                  redacted either way)
     */
    public StoredMedia(boolean fullMedia) {
        this.fullMedia = fullMedia;
    }

    /** Rewrites a request body in place (it is the writer's own copy): see the class comment. */
    public void request(ObjectNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            return;
        }
        for (JsonNode message : messages) {
            parts(message.get("content"), true);
        }
    }

    /**
     * Returns the reply to store: the reply itself when nothing in it is rewritten (no copy of a
     * large reply for nothing), else a rewritten copy; the reply a caller holds is never changed.
     *
     * @param audioFormat the format the request asked reply audio in ({@code audio.format}), or
     *                    {@code null}
     */
    JsonNode reply(JsonNode raw, String audioFormat) {
        if (!rewriteReply(raw, audioFormat, false)) {
            return raw;
        }
        JsonNode copy = raw.deepCopy();
        rewriteReply(copy, audioFormat, true);
        return copy;
    }

    /** Returns the {@code format} a request body asks reply audio in, or {@code null}. */
    static String replyAudioFormat(JsonNode body) {
        return Json.text(Json.object(body, "audio"), "format");
    }

    private boolean rewriteReply(JsonNode raw, String audioFormat, boolean apply) {
        JsonNode choices = raw.get("choices");
        if (choices == null || !choices.isArray()) {
            return false;
        }
        boolean changed = false;
        for (JsonNode choice : choices) {
            if (!(choice.get("message") instanceof ObjectNode message)) {
                continue;
            }
            changed |= parts(message.get("content"), apply);
            if (message.get("audio") instanceof ObjectNode audio) {
                changed |= base64Field(audio, "data", audioMediaType(audioFormat), apply);
            }
            changed |= strings(message, REPLY_SKIPPED_FIELDS, apply);
        }
        return changed;
    }

    /** Rewrites the non-text parts of a content array; returns whether anything was (or would be) rewritten. */
    private boolean parts(JsonNode content, boolean apply) {
        if (content == null || !content.isArray()) {
            return false;
        }
        boolean changed = false;
        for (JsonNode part : content) {
            if (!(part instanceof ObjectNode p) || "text".equals(Json.text(part, "type"))) {
                continue;
            }
            if (p.get("input_audio") instanceof ObjectNode audio) {
                changed |= base64Field(audio, "data", audioMediaType(Json.text(audio, "format")), apply);
            }
            if (p.get("file") instanceof ObjectNode file) {
                changed |= base64Field(file, "file_data", OCTET_STREAM, apply);
            }
            changed |= strings(p, Set.of(), apply);
        }
        return changed;
    }

    /** Digests a field that holds plain base64; a {@code data:} URI there is left to {@link #strings}. */
    private boolean base64Field(ObjectNode parent, String field, String mediaType, boolean apply) {
        JsonNode value = parent.get(field);
        if (fullMedia || value == null || !value.isTextual()) {
            return false;
        }
        String text = value.asText();
        if (text.regionMatches(true, 0, "data:", 0, 5)) {
            return false; // a data: URI (digested with its own media type) or a digest already
        }
        if (apply) {
            parent.put(field, digest(mediaType, decodeBase64(text)));
        }
        return true;
    }

    /**
     * Rewrites, at any depth under a JSON object or array, every string that is inline data or a
     * URL with a credential, except under the object's own fields named in {@code skipped}.
     * Returns whether anything was (or, when not applying, would be) rewritten.
     */
    private boolean strings(JsonNode container, Set<String> skipped, boolean apply) {
        boolean changed = false;
        if (container instanceof ObjectNode object) {
            Map<String, String> rewritten = null; // set after the loop: no change while iterating
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if (skipped.contains(field.getKey())) {
                    continue;
                }
                if (value.isTextual()) {
                    String r = rewrite(value.asText());
                    if (r != null) {
                        rewritten = rewritten == null ? new LinkedHashMap<>() : rewritten;
                        rewritten.put(field.getKey(), r);
                    }
                } else if (value.isContainerNode()) {
                    changed |= strings(value, Set.of(), apply);
                }
            }
            if (rewritten != null) {
                changed = true;
                if (apply) {
                    rewritten.forEach(object::put);
                }
            }
        } else if (container instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual()) {
                    String r = rewrite(value.asText());
                    if (r != null) {
                        changed = true;
                        if (apply) {
                            array.set(i, r);
                        }
                    }
                } else if (value.isContainerNode()) {
                    changed |= strings(value, Set.of(), apply);
                }
            }
        }
        return changed;
    }

    /** Returns what to store instead of a string, or {@code null} to keep it. */
    private String rewrite(String s) {
        if (isDataUri(s)) {
            return fullMedia ? null : digestDataUri(s);
        }
        if (s.regionMatches(true, 0, "http://", 0, 7) || s.regionMatches(true, 0, "https://", 0, 8)) {
            String redacted = redactUrl(s);
            return redacted.equals(s) ? null : redacted;
        }
        return null;
    }

    /** A {@code data:} URI that carries data: it has the comma that a digest never has. */
    private static boolean isDataUri(String s) {
        return s.regionMatches(true, 0, "data:", 0, 5) && s.indexOf(',') > 0;
    }

    /** {@code data:[<media type>][;param=value]*[;base64],<data>} (RFC 2397). */
    static String digestDataUri(String uri) {
        int comma = uri.indexOf(',');
        String[] header = uri.substring(5, comma).split(";", -1);
        String mediaType = header[0].trim().isEmpty() ? "text/plain" : header[0].trim(); // RFC 2397's default
        boolean base64 = false;
        for (int i = 1; i < header.length; i++) {
            base64 |= header[i].trim().equalsIgnoreCase("base64");
        }
        String data = uri.substring(comma + 1);
        return digest(mediaType, base64 ? decodeBase64(data) : percentDecode(data));
    }

    /**
     * The decoded bytes; base64 that is not valid (in either alphabet, line breaks allowed) is
     * digested as the text that was sent.
     */
    static byte[] decodeBase64(String data) {
        String compact = data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0 || data.indexOf(' ') >= 0
                ? data.replaceAll("\\s", "")
                : data;
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(compact);
            } catch (IllegalArgumentException notBase64) {
                return data.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] percentDecode(String data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length());
        byte[] utf8 = data.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%' && i + 2 < utf8.length) {
                int hi = Character.digit(utf8[i + 1], 16);
                int lo = Character.digit(utf8[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(utf8[i]);
        }
        return out.toByteArray();
    }

    static String digest(String mediaType, byte[] bytes) {
        return "data:" + mediaType + ";sha256=" + sha256(bytes) + ";bytes=" + bytes.length;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The media type of audio in an API {@code format} ({@code wav}, {@code mp3}, ...). */
    private static String audioMediaType(String format) {
        if (format == null || format.isBlank() || !format.matches("[A-Za-z0-9.+-]+")) {
            return OCTET_STREAM;
        }
        String f = format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "mp3" -> "audio/mpeg";
            case "pcm16" -> "audio/L16";
            default -> "audio/" + f;
        };
    }

    /** Masks user info and the values of credential query parameters; the rest is kept as written. */
    static String redactUrl(String url) {
        int schemeEnd = url.indexOf("://") + 3;
        int pathStart = indexOfAny(url, schemeEnd, "/?#");
        int authorityEnd = pathStart < 0 ? url.length() : pathStart;
        int at = url.lastIndexOf('@', authorityEnd - 1);
        String head = at >= schemeEnd ? url.substring(0, schemeEnd) + "****" + url.substring(at, authorityEnd) : null;
        String rest = url.substring(authorityEnd);
        return (head != null ? head : url.substring(0, authorityEnd)) + redactQuery(rest);
    }

    private static String redactQuery(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        if (q < 0) {
            return pathAndQuery;
        }
        int hash = pathAndQuery.indexOf('#', q);
        String query = hash < 0 ? pathAndQuery.substring(q + 1) : pathAndQuery.substring(q + 1, hash);
        List<String> params = new ArrayList<>();
        for (String param : query.split("&", -1)) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            params.add(eq >= 0 && isCredential(name) ? name + "=" + Secrets.REDACTED : param);
        }
        return pathAndQuery.substring(0, q + 1)
                + String.join("&", params)
                + (hash < 0 ? "" : pathAndQuery.substring(hash));
    }

    static boolean isCredential(String parameterName) {
        String name = new String(percentDecode(parameterName), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        if (CREDENTIAL_PARAMETERS.contains(name)) {
            return true;
        }
        for (String word : CREDENTIAL_WORDS) {
            if (name.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
