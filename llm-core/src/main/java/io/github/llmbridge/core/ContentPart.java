package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One part of a message's content: text, an image, input audio, a file, or a part type this
 * library does not model. A message made from a string has one text part; a vision judge adds an
 * image:
 *
 * <pre>{@code
 * ChatMessage.user(
 *     ContentPart.text("Score this chart from 1 to 10 for readability."),
 *     ContentPart.image(Path.of("chart.png")).withDetail(ContentPart.ImageDetail.LOW));
 * }</pre>
 *
 * <p>Every part can carry provider-specific fields written beside its own, e.g. Anthropic's
 * {@code cache_control} through OpenRouter or LiteLLM: {@code part.withExtra("cache_control",
 * Map.of("type", "ephemeral"))}. Inline media ({@code data:} URIs, base64 audio) can be megabytes:
 * {@code toString()} shows its size only, and tracing stores its hash unless told otherwise.
 */
public sealed interface ContentPart {

    /** Returns the part's {@code type} on the wire: {@code text}, {@code image_url}, {@code input_audio}, {@code file}, ... */
    String type();

    /**
     * Returns the provider-specific fields written beside the part's own (insertion order; the
     * nodes are the part's own, do not modify them).
     */
    Map<String, JsonNode> extra();

    /**
     * Returns a copy of this part with one more provider-specific field (any value Jackson can
     * write), written beside the part's own fields.
     *
     * @throws IllegalArgumentException when the key is one of the part's own fields or the value
     *                                  cannot be written as JSON
     */
    ContentPart withExtra(String key, Object value);

    /** Returns a text part. */
    static Text text(String text) {
        return new Text(text, Map.of());
    }

    /** Returns an image part that points at a URL ({@code https:} or a {@code data:} URI). */
    static Image imageUrl(String url) {
        return new Image(url, null, Map.of());
    }

    /**
     * Returns an image part that carries the image inline, as a {@code data:} URI.
     *
     * @param bytes     the encoded image (PNG, JPEG, GIF, WebP, ...)
     * @param mediaType its media type, e.g. {@code image/png}
     */
    static Image image(byte[] bytes, String mediaType) {
        return new Image(dataUri(bytes, mediaType, "image"), null, Map.of());
    }

    /**
     * Returns an image part with the file's bytes inline; the media type comes from the file name
     * ({@code .png}, {@code .jpg}/{@code .jpeg}, {@code .gif}, {@code .webp}).
     *
     * @throws IllegalArgumentException when the extension is none of those
     * @throws UncheckedIOException     when the file cannot be read
     */
    static Image image(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String mediaType = name.endsWith(".png")
                ? "image/png"
                : name.endsWith(".jpg") || name.endsWith(".jpeg")
                        ? "image/jpeg"
                        : name.endsWith(".gif") ? "image/gif" : name.endsWith(".webp") ? "image/webp" : null;
        if (mediaType == null) {
            throw new IllegalArgumentException("cannot tell the image type of " + file
                    + " from its name; use ContentPart.image(bytes, \"image/...\")");
        }
        return image(read(file), mediaType);
    }

    /**
     * Returns an input-audio part.
     *
     * @param bytes  the encoded audio
     * @param format its format as the API names it, e.g. {@code wav} or {@code mp3}
     */
    static Audio audio(byte[] bytes, String format) {
        return new Audio(Base64.getEncoder().encodeToString(bytes), format, Map.of());
    }

    /**
     * Returns a file part with the file inline, as a {@code data:} URI (e.g. a PDF).
     *
     * @param bytes     the file's content
     * @param mediaType its media type, e.g. {@code application/pdf}
     * @param filename  the name shown to the model
     */
    static File file(byte[] bytes, String mediaType, String filename) {
        return new File(
                null, Objects.requireNonNull(filename, "filename"), dataUri(bytes, mediaType, "file"), Map.of());
    }

    /** Returns a file part that refers to a file uploaded to the provider before. */
    static File fileId(String fileId) {
        return new File(Objects.requireNonNull(fileId, "fileId"), null, null, Map.of());
    }

    /**
     * Returns a part of a type this library does not model (e.g. a gateway's {@code video_url}),
     * sent as given.
     *
     * @throws IllegalArgumentException when the JSON is not an object with a string {@code type}
     */
    static Custom custom(JsonNode part) {
        return new Custom(part);
    }

    /** How closely a vision model looks at an image ({@code detail}). */
    enum ImageDetail {
        /** The provider chooses. */
        AUTO,
        /** A low-resolution look: fewer tokens. */
        LOW,
        /** A high-resolution look: more tokens. */
        HIGH;

        /** Returns the wire value, e.g. {@code low}. */
        public String wireValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Returns the detail for a wire value, empty for an unknown one. */
        public static Optional<ImageDetail> of(String value) {
            for (ImageDetail d : values()) {
                if (d.wireValue().equals(value)) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A text part.
     *
     * @param text  the text, never {@code null}
     * @param extra provider-specific fields (see {@link ContentPart#extra()})
     */
    record Text(String text, Map<String, JsonNode> extra) implements ContentPart {
        /** Validates the part and copies the extras. */
        public Text {
            Objects.requireNonNull(text, "text");
            extra = PartExtras.copy(extra);
        }

        @Override
        public String type() {
            return "text";
        }

        @Override
        public Text withExtra(String key, Object value) {
            return new Text(text, PartExtras.with(extra, key, value, "text"));
        }

        /** Shows the length of the text, not the text. */
        @Override
        public String toString() {
            return "Text[" + text.length() + " chars" + PartExtras.describe(extra) + "]";
        }
    }

    /**
     * An image part ({@code image_url}).
     *
     * @param url    an {@code http(s):} URL or a {@code data:} URI
     * @param detail how closely to look, {@code null} for the provider's default
     * @param extra  provider-specific fields, written at the part's level beside {@code image_url}
     *               (see {@link ContentPart#extra()})
     */
    record Image(String url, ImageDetail detail, Map<String, JsonNode> extra) implements ContentPart {
        /** Validates the part and copies the extras. */
        public Image {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("image part needs a URL or a data: URI");
            }
            extra = PartExtras.copy(extra);
        }

        @Override
        public String type() {
            return "image_url";
        }

        /** Returns a copy with the given detail. */
        public Image withDetail(ImageDetail detail) {
            return new Image(url, detail, extra);
        }

        @Override
        public Image withExtra(String key, Object value) {
            return new Image(url, detail, PartExtras.with(extra, key, value, "image_url"));
        }

        /** Shows a URL, or the media type and size of inline data. */
        @Override
        public String toString() {
            return "Image[" + PartExtras.describeUrl(url) + (detail == null ? "" : ", detail=" + detail.wireValue())
                    + PartExtras.describe(extra) + "]";
        }
    }

    /**
     * An input-audio part ({@code input_audio}).
     *
     * @param data   the audio, base64-encoded
     * @param format the format, e.g. {@code wav} or {@code mp3}
     * @param extra  provider-specific fields (see {@link ContentPart#extra()})
     */
    record Audio(String data, String format, Map<String, JsonNode> extra) implements ContentPart {
        /** Validates the part and copies the extras. */
        public Audio {
            Objects.requireNonNull(data, "data");
            if (format == null || format.isBlank()) {
                throw new IllegalArgumentException("audio part needs a format, e.g. \"wav\" or \"mp3\"");
            }
            extra = PartExtras.copy(extra);
        }

        @Override
        public String type() {
            return "input_audio";
        }

        @Override
        public Audio withExtra(String key, Object value) {
            return new Audio(data, format, PartExtras.with(extra, key, value, "input_audio"));
        }

        /** Shows the format and size, not the data. */
        @Override
        public String toString() {
            return "Audio[" + format + ", " + data.length() + " base64 chars" + PartExtras.describe(extra) + "]";
        }
    }

    /**
     * A file part ({@code file}): inline data, or the id of an uploaded file.
     *
     * @param fileId   an uploaded file's id, or {@code null}
     * @param filename the name shown to the model, or {@code null}
     * @param fileData the file inline, as a {@code data:} URI, or {@code null}
     * @param extra    provider-specific fields (see {@link ContentPart#extra()})
     */
    record File(String fileId, String filename, String fileData, Map<String, JsonNode> extra) implements ContentPart {
        /** Validates the part and copies the extras. */
        public File {
            if (fileId == null && fileData == null) {
                throw new IllegalArgumentException("file part needs a file id or inline file data");
            }
            extra = PartExtras.copy(extra);
        }

        @Override
        public String type() {
            return "file";
        }

        @Override
        public File withExtra(String key, Object value) {
            return new File(fileId, filename, fileData, PartExtras.with(extra, key, value, "file"));
        }

        /** Shows the id or name and the size of inline data, not the data. */
        @Override
        public String toString() {
            return "File[" + (fileId != null ? "id=" + fileId : "")
                    + (filename != null ? (fileId != null ? ", " : "") + filename : "")
                    + (fileData != null ? ", " + PartExtras.describeUrl(fileData) : "") + PartExtras.describe(extra)
                    + "]";
        }
    }

    /**
     * A part of a type this library does not model, kept as its JSON.
     *
     * @param json the part, an object with a string {@code type}
     */
    record Custom(JsonNode json) implements ContentPart {
        /** Validates and copies the part. */
        public Custom {
            if (json == null
                    || !json.isObject()
                    || json.get("type") == null
                    || !json.get("type").isTextual()) {
                throw new IllegalArgumentException(
                        "a custom content part must be a JSON object with a string \"type\"");
            }
            json = json.deepCopy();
        }

        @Override
        public String type() {
            return json.get("type").asText();
        }

        /** Returns a copy of the part's JSON. */
        @Override
        public JsonNode json() {
            return json.deepCopy();
        }

        /** Returns no extras: every field of a custom part is in {@link #json()}. */
        @Override
        public Map<String, JsonNode> extra() {
            return Map.of();
        }

        @Override
        public Custom withExtra(String key, Object value) {
            ObjectNode copy = (ObjectNode) json.deepCopy();
            copy.set(Objects.requireNonNull(key, "key"), PartExtras.toJson(key, value));
            return new Custom(copy);
        }

        /** Shows the type and the field names, not the values. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Custom[").append(type());
            json.fieldNames().forEachRemaining(f -> {
                if (!f.equals("type")) {
                    s.append(", ").append(f);
                }
            });
            return s.append(']').toString();
        }
    }

    private static String dataUri(byte[] bytes, String mediaType, String what) {
        Objects.requireNonNull(bytes, "bytes");
        if (mediaType == null || !mediaType.contains("/")) {
            throw new IllegalArgumentException(
                    what + " part needs a media type such as image/png or application/pdf, was " + mediaType);
        }
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
