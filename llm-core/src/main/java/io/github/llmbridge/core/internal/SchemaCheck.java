package io.github.llmbridge.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a parsed JSON value against a JSON Schema and says, in short messages that start with a
 * JSON path ({@code $.tags[1].name: missing (required)}), what does not match; for {@code chatJson},
 * which sends the messages back to the model when its reply does not fit the schema it was given.
 *
 * <p>It evaluates the part of JSON Schema (draft 2020-12) that OpenAI's strict structured outputs
 * accept, which is all that {@code JsonSchemas} produces, plus a few common neighbours:
 * {@code type} (one or a list, {@code "integer"} matching any whole number), {@code enum},
 * {@code const}, {@code properties}, {@code required}, {@code additionalProperties},
 * {@code items}, {@code minItems}, {@code maxItems}, {@code uniqueItems}, {@code minLength},
 * {@code maxLength}, {@code pattern}, {@code minimum}, {@code maximum}, {@code exclusiveMinimum},
 * {@code exclusiveMaximum}, {@code multipleOf}, {@code anyOf}, {@code oneOf}, {@code allOf},
 * {@code not}, and {@code $ref} to {@code #} or into the same document ({@code #/$defs/Name}).
 * Annotations ({@code description}, {@code title}, {@code default}, {@code format},
 * {@code examples}, {@code x-...}, ...) change nothing. Any other keyword is an
 * {@link IllegalArgumentException} when the check reaches it, never a silent pass: see
 * {@link #unsupportedKeywords(JsonNode)} to ask first.
 *
 * <p>Hand-written on purpose, rather than a general validator: the well-kept Java validator
 * (networknt's json-schema-validator, now on Jackson 3) would put a second major version of Jackson
 * on every user's class path for a closed keyword set. The tests compare this check's verdicts with
 * networknt's on the schemas {@code JsonSchemas} produces.
 */
public final class SchemaCheck {

    /** At most this many messages; a reply that breaks more is reported with a count of the rest. */
    static final int MAX_MESSAGES = 50;

    /** {@code $ref}s followed without reading deeper into the value: more means a cycle. */
    private static final int MAX_REF_CHAIN = 64;

    private static final Set<String> ANNOTATIONS = Set.of(
            "$schema",
            "$id",
            "$anchor",
            "$comment",
            "$defs",
            "definitions",
            "title",
            "description",
            "default",
            "examples",
            "deprecated",
            "readOnly",
            "writeOnly",
            "format",
            "contentMediaType",
            "contentEncoding",
            "nullable", // OpenAPI 3.0's spelling; a nullable schema that means it also lists "null" in "type"
            "discriminator");

    private static final Set<String> ASSERTIONS = Set.of(
            "type",
            "enum",
            "const",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minLength",
            "maxLength",
            "pattern",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "anyOf",
            "oneOf",
            "allOf",
            "not",
            "$ref");

    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final JsonNode root;
    private final List<String> messages = new ArrayList<>();
    private int dropped;

    private SchemaCheck(JsonNode root) {
        this.root = root;
    }

    /**
     * Returns what in {@code value} does not match {@code schema}, one short message per problem,
     * each starting with the JSON path of the offending value ({@code $} is the whole value); empty
     * when it matches.
     *
     * @throws IllegalArgumentException when the schema is not a JSON object or boolean, uses a
     *     keyword this check does not evaluate, refers outside itself, or refers in a cycle
     */
    public static List<String> violations(JsonNode value, JsonNode schema) {
        if (schema == null || !(schema.isObject() || schema.isBoolean())) {
            throw new IllegalArgumentException("a JSON Schema is an object or a boolean, was " + schema);
        }
        SchemaCheck check = new SchemaCheck(schema);
        check.validate(value == null ? NullNode.getInstance() : value, schema, "$", 0);
        List<String> out = new ArrayList<>(check.messages);
        if (check.dropped > 0) {
            out.add("... and " + check.dropped + " more");
        }
        return List.copyOf(out);
    }

    /**
     * Returns the keywords in {@code schema} (anywhere in it) that {@link #violations} would
     * refuse to evaluate; empty when it can check any value against it.
     */
    public static Set<String> unsupportedKeywords(JsonNode schema) {
        Set<String> found = new LinkedHashSet<>();
        collectUnsupported(schema, found);
        return found;
    }

    private static void collectUnsupported(JsonNode schema, Set<String> found) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : iterable(schema.fields())) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (!ASSERTIONS.contains(k) && !ANNOTATIONS.contains(k) && !k.startsWith("x-")) {
                found.add(k);
            }
            switch (k) {
                case "properties", "$defs", "definitions" ->
                    v.elements().forEachRemaining(s -> collectUnsupported(s, found));
                case "anyOf", "oneOf", "allOf" -> v.elements().forEachRemaining(s -> collectUnsupported(s, found));
                case "items", "not", "additionalProperties" -> collectUnsupported(v, found);
                default -> {}
            }
        }
    }

    /** Reports into {@link #messages}; returns whether {@code value} matched. */
    private boolean validate(JsonNode value, JsonNode schema, String path, int refChain) {
        if (schema.isBoolean()) {
            if (!schema.asBoolean()) {
                report(path, "no value is allowed here");
            }
            return schema.asBoolean();
        }
        int before = messages.size() + dropped;
        for (String keyword : iterable(schema.fieldNames())) {
            if (!ASSERTIONS.contains(keyword) && !ANNOTATIONS.contains(keyword) && !keyword.startsWith("x-")) {
                throw new IllegalArgumentException("the schema uses \"" + keyword + "\", which this check does not"
                        + " evaluate (at value " + path + ")");
            }
        }
        if (schema.has("$ref")) {
            if (refChain >= MAX_REF_CHAIN) {
                throw new IllegalArgumentException(
                        "the schema's $ref chain at value " + path + " does not end (a cycle)");
            }
            validate(value, resolve(schema.get("$ref").asText()), path, refChain + 1);
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(value, type)) {
            report(path, "expected " + typeList(type) + ", got " + typeOf(value));
            return false; // the other keywords are about a value of another kind
        }
        checkEnumAndConst(value, schema, path);
        if (value.isObject()) {
            checkObject(value, schema, path);
        } else if (value.isArray()) {
            checkArray(value, schema, path);
        } else if (value.isTextual()) {
            checkString(value.asText(), schema, path);
        } else if (value.isNumber()) {
            checkNumber(value.decimalValue(), schema, path);
        }
        checkCombinators(value, schema, path, refChain);
        return messages.size() + dropped == before;
    }

    private void checkEnumAndConst(JsonNode value, JsonNode schema, String path) {
        JsonNode options = schema.get("enum");
        if (options != null && options.isArray()) {
            boolean found = false;
            for (JsonNode option : options) {
                found |= sameJson(option, value);
            }
            if (!found) {
                StringJoiner allowed = new StringJoiner(", ");
                options.forEach(o -> allowed.add(o.toString()));
                report(path, brief(value) + " is not one of " + allowed);
            }
        }
        JsonNode constant = schema.get("const");
        if (constant != null && !sameJson(constant, value)) {
            report(path, "must be " + constant + ", got " + brief(value));
        }
    }

    private void checkObject(JsonNode value, JsonNode schema, String path) {
        JsonNode required = schema.get("required");
        if (required != null) {
            for (JsonNode name : required) {
                if (!value.has(name.asText())) {
                    report(child(path, name.asText()), "missing (required)");
                }
            }
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> field : iterable(value.fields())) {
            String name = field.getKey();
            JsonNode propertySchema = properties == null ? null : properties.get(name);
            if (propertySchema != null) {
                validate(field.getValue(), propertySchema, child(path, name), 0);
            } else if (additional != null) {
                if (additional.isBoolean() && !additional.asBoolean()) {
                    report(child(path, name), "not allowed (the schema has no such property)");
                } else {
                    validate(field.getValue(), additional, child(path, name), 0);
                }
            }
        }
    }

    private void checkArray(JsonNode value, JsonNode schema, String path) {
        JsonNode items = schema.get("items");
        if (items != null) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), items, path + "[" + i + "]", 0);
            }
        }
        JsonNode min = schema.get("minItems");
        if (min != null && value.size() < min.asInt()) {
            report(path, "must have at least " + min.asInt() + " item" + plural(min.asInt()) + ", has " + value.size());
        }
        JsonNode max = schema.get("maxItems");
        if (max != null && value.size() > max.asInt()) {
            report(path, "must have at most " + max.asInt() + " item" + plural(max.asInt()) + ", has " + value.size());
        }
        JsonNode unique = schema.get("uniqueItems");
        if (unique != null && unique.asBoolean()) {
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                if (!seen.add(canonical(value.get(i)))) {
                    report(path + "[" + i + "]", "repeats an earlier item (items must be unique)");
                }
            }
        }
    }

    private void checkString(String text, JsonNode schema, String path) {
        int length = text.codePointCount(0, text.length());
        JsonNode min = schema.get("minLength");
        if (min != null && length < min.asInt()) {
            report(
                    path,
                    "must be at least " + min.asInt() + " character" + plural(min.asInt()) + " long, is " + length);
        }
        JsonNode max = schema.get("maxLength");
        if (max != null && length > max.asInt()) {
            report(path, "must be at most " + max.asInt() + " character" + plural(max.asInt()) + " long, is " + length);
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null) {
            try {
                if (!Pattern.compile(pattern.asText()).matcher(text).find()) {
                    report(path, brief(text) + " does not match the pattern " + pattern.asText());
                }
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "the schema's pattern " + pattern + " is not a regular expression" + " Java understands: "
                                + e.getDescription(),
                        e);
            }
        }
    }

    private void checkNumber(BigDecimal number, JsonNode schema, String path) {
        String shown = number.stripTrailingZeros().toPlainString();
        JsonNode min = schema.get("minimum");
        if (min != null && min.isNumber() && number.compareTo(min.decimalValue()) < 0) {
            report(path, "must be at least " + min + ", got " + shown);
        }
        JsonNode max = schema.get("maximum");
        if (max != null && max.isNumber() && number.compareTo(max.decimalValue()) > 0) {
            report(path, "must be at most " + max + ", got " + shown);
        }
        JsonNode exclusiveMin = schema.get("exclusiveMinimum");
        if (exclusiveMin != null && exclusiveMin.isNumber() && number.compareTo(exclusiveMin.decimalValue()) <= 0) {
            report(path, "must be greater than " + exclusiveMin + ", got " + shown);
        }
        JsonNode exclusiveMax = schema.get("exclusiveMaximum");
        if (exclusiveMax != null && exclusiveMax.isNumber() && number.compareTo(exclusiveMax.decimalValue()) >= 0) {
            report(path, "must be less than " + exclusiveMax + ", got " + shown);
        }
        JsonNode multipleOf = schema.get("multipleOf");
        if (multipleOf != null
                && multipleOf.isNumber()
                && multipleOf.decimalValue().signum() > 0
                && number.remainder(multipleOf.decimalValue()).signum() != 0) {
            report(path, "must be a multiple of " + multipleOf + ", got " + shown);
        }
    }

    private void checkCombinators(JsonNode value, JsonNode schema, String path, int refChain) {
        JsonNode allOf = schema.get("allOf");
        if (allOf != null) {
            for (JsonNode branch : allOf) {
                validate(value, branch, path, refChain);
            }
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null && countMatching(value, anyOf, path, refChain) == 0) {
            explainNoMatch(value, anyOf, path, refChain);
        }
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf != null) {
            int matching = countMatching(value, oneOf, path, refChain);
            if (matching == 0) {
                explainNoMatch(value, oneOf, path, refChain);
            } else if (matching > 1) {
                report(path, "matches " + matching + " of the alternatives the schema allows, where exactly one must");
            }
        }
        JsonNode not = schema.get("not");
        if (not != null && countMatching(value, List.of(not), path, refChain) == 1) {
            report(path, "matches a schema it must not match");
        }
    }

    /** Counts the branches {@code value} matches, without reporting anything. */
    private int countMatching(JsonNode value, Iterable<JsonNode> branches, String path, int refChain) {
        int matching = 0;
        for (JsonNode branch : branches) {
            SchemaCheck quiet = new SchemaCheck(root);
            if (quiet.validate(value, branch, path, refChain)) {
                matching++;
            }
        }
        return matching;
    }

    /**
     * Says why no alternative matched. The alternatives that are for another kind of value (another
     * JSON type, or another value of a one-value {@code enum}/{@code const} property, the way
     * OpenAPI discriminates by {@code "type"} or {@code "role"}) are left out; if one is left, its
     * own problems are the answer, else the message lists what was expected.
     */
    private void explainNoMatch(JsonNode value, JsonNode branches, String path, int refChain) {
        List<JsonNode> applicable = new ArrayList<>();
        Set<String> expectedTypes = new LinkedHashSet<>();
        Map<String, List<String>> discriminators = new LinkedHashMap<>();
        for (JsonNode branch : branches) {
            JsonNode resolved = resolveShallow(branch);
            JsonNode type = resolved.get("type");
            if (type != null) {
                for (JsonNode t : type.isArray() ? type : List.of(type)) {
                    expectedTypes.add(t.asText());
                }
            }
            if (type != null && !typeMatches(value, type)) {
                continue;
            }
            Map.Entry<String, JsonNode> other = discriminatedAway(value, resolved);
            if (other == null) {
                applicable.add(branch);
            } else {
                discriminators
                        .computeIfAbsent(other.getKey(), k -> new ArrayList<>())
                        .add(other.getValue().toString());
            }
        }
        if (applicable.size() == 1) {
            validate(value, applicable.get(0), path, refChain);
        } else if (applicable.isEmpty() && !expectedTypes.isEmpty() && !typeMatchesAny(value, expectedTypes)) {
            report(path, "expected " + String.join(" or ", expectedTypes) + ", got " + typeOf(value));
        } else if (applicable.isEmpty() && discriminators.size() == 1) {
            String property = discriminators.keySet().iterator().next();
            report(
                    child(path, property),
                    brief(value.get(property)) + " is not one of " + String.join(", ", discriminators.get(property)));
        } else {
            report(path, "matches none of the " + branches.size() + " alternatives the schema allows");
        }
    }

    /**
     * Returns the one-value {@code enum} or {@code const} property of {@code branch} (and its
     * value) that {@code value} has with another value, or {@code null}.
     */
    private Map.Entry<String, JsonNode> discriminatedAway(JsonNode value, JsonNode branch) {
        JsonNode properties = branch.get("properties");
        if (!value.isObject() || properties == null) {
            return null;
        }
        for (Map.Entry<String, JsonNode> p : iterable(properties.fields())) {
            JsonNode propertySchema = resolveShallow(p.getValue());
            JsonNode only = propertySchema.has("const")
                    ? propertySchema.get("const")
                    : propertySchema.has("enum") && propertySchema.get("enum").size() == 1
                            ? propertySchema.get("enum").get(0)
                            : null;
            JsonNode actual = value.get(p.getKey());
            if (only != null && actual != null && !sameJson(only, actual)) {
                return Map.entry(p.getKey(), only);
            }
        }
        return null;
    }

    private JsonNode resolveShallow(JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < MAX_REF_CHAIN && s.isObject() && s.has("$ref") && s.size() == 1; i++) {
            s = resolve(s.get("$ref").asText());
        }
        return s;
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException("the schema refers outside itself (\"$ref\": \"" + ref
                    + "\"); only \"#\" and \"#/...\" are resolved");
        }
        String pointer = URLDecoder.decode(ref.substring(1), StandardCharsets.UTF_8);
        JsonNode target = pointer.isEmpty() ? root : root.at(pointer);
        if (target.isMissingNode()) {
            throw new IllegalArgumentException("the schema's \"$ref\": \"" + ref + "\" points at nothing");
        }
        return target;
    }

    private void report(String path, String problem) {
        if (messages.size() < MAX_MESSAGES) {
            messages.add(path + ": " + problem);
        } else {
            dropped++;
        }
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (isOfType(value, t.asText())) {
                    return true;
                }
            }
            return false;
        }
        return isOfType(value, type.asText());
    }

    private static boolean typeMatchesAny(JsonNode value, Set<String> types) {
        return types.stream().anyMatch(t -> isOfType(value, t));
    }

    private static boolean isOfType(JsonNode value, String type) {
        return switch (type) {
            case "null" -> value.isNull();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "integer" -> isWholeNumber(value);
            default -> throw new IllegalArgumentException("the schema names an unknown type \"" + type + "\"");
        };
    }

    private static boolean isWholeNumber(JsonNode value) {
        return value.isIntegralNumber()
                || (value.isNumber()
                        && value.decimalValue().stripTrailingZeros().scale() <= 0);
    }

    private static String typeOf(JsonNode value) {
        if (value.isNull()) {
            return "null";
        } else if (value.isBoolean()) {
            return "boolean";
        } else if (value.isObject()) {
            return "object";
        } else if (value.isArray()) {
            return "array";
        } else if (value.isTextual()) {
            return "string " + brief(value);
        } else if (value.isNumber()) {
            return (isWholeNumber(value) ? "integer " : "number ")
                    + value.decimalValue().stripTrailingZeros().toPlainString();
        }
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String typeList(JsonNode type) {
        if (!type.isArray()) {
            return type.asText();
        }
        StringJoiner joined = new StringJoiner(" or ");
        type.forEach(t -> joined.add(t.asText()));
        return joined.toString();
    }

    /** JSON equality, with numbers compared by value (1 and 1.0 are the same JSON number). */
    private static boolean sameJson(JsonNode a, JsonNode b) {
        return canonical(a).equals(canonical(b));
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isNumber()) {
            return DecimalNode.valueOf(node.decimalValue().stripTrailingZeros());
        }
        if (node.isContainerNode()) {
            JsonNode copy = node.deepCopy();
            canonicalNumbersIn(copy);
            return copy;
        }
        return node;
    }

    private static void canonicalNumbersIn(JsonNode container) {
        if (container.isObject()) {
            ObjectNode object = (ObjectNode) container;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, canonical(object.get(name)));
            }
        } else if (container.isArray()) {
            ArrayNode array = (ArrayNode) container;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, canonical(array.get(i)));
            }
        }
    }

    private static String child(String path, String name) {
        return SIMPLE_NAME.matcher(name).matches()
                ? path + "." + name
                : path + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    private static String brief(JsonNode value) {
        return brief(value.isTextual() ? value.asText() : value.toString(), value.isTextual());
    }

    private static String brief(String text) {
        return brief(text, true);
    }

    private static String brief(String text, boolean quote) {
        String cut = text.length() <= 40 ? text : text.substring(0, 37) + "...";
        return quote ? "\"" + cut + "\"" : cut;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }
}
