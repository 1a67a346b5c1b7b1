package io.github.llmbridge.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.github.llmbridge.core.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON in a model's reply. Models wrap JSON in prose and code fences, double its braces
 * when the prompt template escaped them, and leave trailing commas; reward code needs the
 * object. {@link #find} returns the first JSON object or array found, trying in order:
 * <ol>
 *   <li>the contents of each fenced code block ({@code ```json ... ```} or {@code ``` ... ```});</li>
 *   <li>the whole reply;</li>
 *   <li>the JSON starting at each <code>&#123;</code> or {@code [} in the reply, first to last.</li>
 * </ol>
 * When neither a fenced block nor the whole reply is JSON but the reply holds <code>&#123;&#123;</code> (which
 * JSON never has outside a string), the doubled braces of an escaped prompt template are made
 * single first. Only if nothing parses does it try again with a lenient parser that accepts trailing commas,
 * single-quoted strings, unquoted field names and comments — each a real parser rule, so nothing
 * is guessed. A leading byte-order mark is ignored.
 *
 * <pre>{@code
 * record Score(double score) {}
 * Score s = JsonReplies.parse("Sure! ```json\n{\"score\": 7}\n```", Score.class);
 * }</pre>
 *
 * {@link #parse(String, Class)} returns the first candidate that binds to the type, so a stray
 * {@code [1]} in the prose does not hide the object that follows it.
 */
public final class JsonReplies {

    private static final Pattern FENCE =
            Pattern.compile("```[ \\t]*([A-Za-z0-9_+-]*)[ \\t]*\\R?(.*?)```", Pattern.DOTALL);
    /** Bounds the work on a pathological reply: at most this many start positions are tried. */
    private static final int MAX_START_POSITIONS = 500;

    /** The library's mapper: strict JSON, unknown fields ignored. */
    private static final ObjectMapper STRICT = Json.MAPPER;

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new Jdk8Module())
            .enable(
                    JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_YAML_COMMENTS)
            .build();

    private JsonReplies() {}

    /** Returns the first JSON object or array in the reply, empty when there is none. */
    public static Optional<JsonNode> find(String reply) {
        List<JsonNode> all = candidates(reply);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Returns the first JSON object or array in the reply.
     *
     * @throws LlmException category {@link ErrorCategory#INVALID_RESPONSE} with the reply as
     *                      {@link LlmException#partialContent()} when there is none
     */
    public static JsonNode parse(String reply) {
        return find(reply).orElseThrow(() -> notJson(reply, "no JSON object or array found", null));
    }

    /**
     * Returns the first JSON value in the reply that binds to {@code type} (a record, bean, map,
     * list, {@code JsonNode}, ...); unknown fields are ignored.
     *
     * @throws LlmException category {@link ErrorCategory#INVALID_RESPONSE} with the reply as
     *                      {@link LlmException#partialContent()} when nothing binds
     */
    public static <T> T parse(String reply, Class<T> type) {
        JavaType javaType = STRICT.constructType(type);
        List<JsonNode> all = candidates(reply);
        IllegalArgumentException firstProblem = null;
        for (JsonNode candidate : all) {
            if (!shapeFits(candidate, javaType)) {
                continue;
            }
            try {
                return STRICT.convertValue(candidate, javaType);
            } catch (IllegalArgumentException e) {
                firstProblem = firstProblem == null ? e : firstProblem;
            }
        }
        String why = firstProblem != null
                ? "the JSON does not fit " + type.getSimpleName() + ": " + firstLine(firstProblem.getMessage())
                : "no JSON " + (javaType.isContainerType() && !javaType.isMapLikeType() ? "array" : "object")
                        + " found for " + type.getSimpleName();
        throw notJson(reply, why, firstProblem);
    }

    /** Returns every distinct JSON object or array in the reply, in the order {@link #find} prefers. */
    static List<JsonNode> candidates(String reply) {
        if (reply == null || reply.isBlank()) {
            return List.of();
        }
        String text = reply.startsWith("\uFEFF") ? reply.substring(1) : reply;
        List<JsonNode> found = new ArrayList<>();
        framed(text, STRICT, found);
        if (found.isEmpty() && text.contains("{{")) {
            // "{{" never occurs in JSON outside a string; a reply that is not JSON as it stands
            // but holds "{{" copied an escaped template's doubled braces.
            String undoubled = text.replace("{{", "{").replace("}}", "}");
            framed(undoubled, STRICT, found);
            startingAnywhere(undoubled, STRICT, found);
            if (!found.isEmpty()) {
                return found;
            }
        }
        startingAnywhere(text, STRICT, found);
        if (found.isEmpty()) {
            framed(text, LENIENT, found);
            startingAnywhere(text, LENIENT, found);
        }
        return found;
    }

    /** Adds the contents of each fenced block, then the whole text, when they are JSON. */
    private static void framed(String text, ObjectMapper mapper, List<JsonNode> found) {
        Matcher fences = FENCE.matcher(text);
        while (fences.find()) {
            addIfContainer(found, readWhole(fences.group(2), mapper));
        }
        addIfContainer(found, readWhole(text, mapper));
    }

    /** Adds the JSON value starting at each opening brace or bracket. */
    private static void startingAnywhere(String text, ObjectMapper mapper, List<JsonNode> found) {
        int tried = 0;
        for (int i = 0; i < text.length() && tried < MAX_START_POSITIONS; i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                tried++;
                addIfContainer(found, readFirstValue(text.substring(i), mapper));
            }
        }
    }

    private static void addIfContainer(List<JsonNode> found, JsonNode node) {
        if (node != null && node.isContainerNode() && !found.contains(node)) {
            found.add(node);
        }
    }

    /** Parses the text as exactly one JSON value, or returns null. */
    private static JsonNode readWhole(String text, ObjectMapper mapper) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        try {
            return mapper.readerFor(JsonNode.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(trimmed);
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses the first JSON value at the start of the text, ignoring what follows, or returns null. */
    private static JsonNode readFirstValue(String text, ObjectMapper mapper) {
        try (JsonParser parser = mapper.createParser(text)) {
            if (parser.nextToken() == null) {
                return null;
            }
            return mapper.readTree(parser);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean shapeFits(JsonNode node, JavaType type) {
        Class<?> raw = type.getRawClass();
        if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
            return true;
        }
        boolean wantsArray = raw.isArray() || Collection.class.isAssignableFrom(raw);
        return wantsArray ? node.isArray() : node.isObject();
    }

    private static LlmException notJson(String reply, String why, Throwable cause) {
        String text = reply == null ? "" : reply;
        String excerpt = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return LlmException.builder(
                        ErrorCategory.INVALID_RESPONSE,
                        "the model's reply is not usable JSON: " + why + "; reply began: \""
                                + excerpt.replace("\n", "\\n") + "\"")
                .partialContent(text)
                .retryable(false)
                .cause(cause)
                .build();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
