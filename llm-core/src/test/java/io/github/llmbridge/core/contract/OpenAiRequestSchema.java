package io.github.llmbridge.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.i18n.MessageSource;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's published schema for a chat-completions request body ({@code CreateChatCompletionRequest}
 * in openai/openai-openapi, extracted with every component it uses into
 * {@code openai/create-chat-completion-request.schema.json}; see the README beside it), as a check
 * for the bodies the tests send.
 *
 * <p>A body is checked <em>where OpenAI defines the field</em>: {@link #violations} reports what
 * breaks OpenAI's definition of a field OpenAI has (too many {@code stop} sequences, a {@code tool}
 * message without {@code tool_call_id}), and ignores fields OpenAI does not define, which gateways
 * add ({@code tags}, {@code models}, {@code provider}, {@code return_token_ids}); those are listed
 * by {@link #unknownFields}, at any depth ({@code $.messages[0].content[0].cache_control}). A
 * backend that gives a field OpenAI defines a meaning of its own (LiteLLM's {@code metadata}, whose
 * values need not be strings) names it in {@code ownFields}: it is then neither checked nor listed.
 *
 * <pre>{@code
 * OpenAiRequestSchema.assertValid(body);                       // AssertionError naming each problem
 * List<String> problems = OpenAiRequestSchema.violations(body); // "$.stop: must have at most 4 items but found 5"
 * }</pre>
 *
 * <p>The check runs networknt's json-schema-validator (draft 2020-12, as OpenAPI 3.1 specifies).
 * Where a {@code oneOf}/{@code anyOf} fails, the messages of the alternatives meant for another kind
 * of value (another JSON type, or another {@code role}/{@code type}, as OpenAPI's discriminators
 * say) are dropped, so a bad {@code tool} message is reported as a missing {@code tool_call_id}, not
 * as six alternatives that do not match.
 */
public final class OpenAiRequestSchema {

    /** The resource, on the test class path of llm-core and (through its test-jar) of the backends. */
    public static final String RESOURCE = "/openai/create-chat-completion-request.schema.json";

    private static final ObjectMapper JACKSON3 = new ObjectMapper();
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String REF_PREFIX = "#/components/schemas/";

    private static final ObjectNode DOCUMENT = load();
    private static final Schema OPEN = compile(DOCUMENT);
    private static final Schema CLOSED = compile(closed(DOCUMENT));

    private OpenAiRequestSchema() {}

    /**
     * Returns what in {@code body} breaks OpenAI's schema, one message per problem, each starting
     * with the JSON path of the value ({@code $.messages[0]: required property 'tool_call_id' not
     * found}); empty when the body is valid where OpenAI defines the field.
     */
    public static List<String> violations(JsonNode body) {
        return violations(body, Set.of());
    }

    /**
     * Like {@link #violations(JsonNode)}, leaving out the top-level {@code ownFields} that the
     * backend gives a meaning of its own.
     */
    public static List<String> violations(JsonNode body, Collection<String> ownFields) {
        return format(prune(problems(OPEN, body, ownFields)));
    }

    /**
     * Returns the JSON paths of the properties in {@code body} that OpenAI's schema does not define
     * where they are ({@code $.tags}, {@code $.messages[0].content[0].cache_control}), except the
     * top-level {@code ownFields}; sorted.
     */
    public static List<String> unknownFields(JsonNode body, Collection<String> ownFields) {
        List<String> unknown = new ArrayList<>();
        for (Problem p : prune(problems(CLOSED, body, ownFields))) {
            if (p.keyword.equals("propertyNames") && p.property != null) {
                unknown.add(child(p.instance, p.property));
            }
        }
        return unknown.stream().distinct().sorted().toList();
    }

    /** Returns {@link #unknownFields(JsonNode, Collection)} with no own fields. */
    public static List<String> unknownFields(JsonNode body) {
        return unknownFields(body, Set.of());
    }

    /**
     * Fails, naming every problem and the schema's source, when {@code body} breaks OpenAI's
     * schema where OpenAI defines the field.
     *
     * @throws AssertionError listing the {@link #violations}
     */
    public static void assertValid(JsonNode body) {
        List<String> problems = violations(body);
        if (!problems.isEmpty()) {
            throw new AssertionError("the request body breaks OpenAI's CreateChatCompletionRequest (" + source()
                    + "):\n  " + String.join("\n  ", problems) + "\nbody: " + body);
        }
    }

    /** Returns where the schema came from: repository, commit, date and OpenAPI version. */
    public static String source() {
        tools.jackson.databind.JsonNode s = DOCUMENT.get("x-llmbridge-source");
        return "openai/openai-openapi " + s.get("commit").asString().substring(0, 7) + " of "
                + s.get("commitDate").asString().substring(0, 10) + ", OpenAPI "
                + s.get("openapi").asString();
    }

    /** Returns the names of the top-level properties OpenAI defines for a chat-completions request. */
    public static Set<String> definedTopLevelFields() {
        Set<String> names = new TreeSet<>();
        collectNames(DOCUMENT.at("/components/schemas/CreateChatCompletionRequest"), names);
        return names;
    }

    // ---- loading ------------------------------------------------------------------------------

    private static ObjectNode load() {
        try (InputStream in = OpenAiRequestSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (llm-core's test resources)");
            }
            ObjectNode document = (ObjectNode) JACKSON3.readTree(in);
            if (document.toString().contains("\"nullable\"")) {
                throw new IllegalStateException(
                        RESOURCE + " still holds OpenAPI 3.0's \"nullable\", which draft 2020-12"
                                + " ignores: re-run extract.py, which rewrites it");
            }
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * networknt's messages, read from its own jar: wiremock-standalone carries an older
     * {@code jsv-messages.properties} whose patterns expect other arguments, and whichever comes
     * first on the class path would otherwise win.
     */
    private static MessageSource ownMessages() {
        Properties patterns = new Properties();
        try {
            URL jar = Schema.class.getProtectionDomain().getCodeSource().getLocation();
            URL bundle = new URL("jar:" + jar + "!/jsv-messages.properties");
            try (InputStream in = bundle.openStream()) {
                patterns.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jsv-messages.properties from networknt's jar", e);
        }
        return (key, fallback, locale, arguments) -> {
            String pattern = patterns.getProperty(key);
            return pattern == null ? fallback.get() : new MessageFormat(pattern, Locale.ROOT).format(arguments);
        };
    }

    private static Schema compile(ObjectNode document) {
        SchemaRegistryConfig config =
                SchemaRegistryConfig.builder().messageSource(ownMessages()).build();
        return SchemaRegistry.withDefaultDialect(
                        SpecificationVersion.DRAFT_2020_12, registry -> registry.schemaRegistryConfig(config))
                .getSchema(
                        SchemaLocation.of("https://llmbridge.invalid/openai/create-chat-completion-request.json"),
                        document);
    }

    /**
     * A copy in which every object schema also limits its property names to those it (with its
     * allOf parts) defines, so that a field OpenAI does not define is reported where it is. Done
     * with propertyNames rather than unevaluatedProperties, which would also report the defined
     * fields of any object that fails for another reason (a failing schema keeps no annotations).
     */
    private static ObjectNode closed(ObjectNode document) {
        ObjectNode copy = document.deepCopy();
        Set<tools.jackson.databind.JsonNode> allOfParts = Collections.newSetFromMap(new IdentityHashMap<>());
        collectAllOfParts(copy, copy, allOfParts);
        close(copy.get("components"), copy, allOfParts);
        return copy;
    }

    private static void collectAllOfParts(
            tools.jackson.databind.JsonNode node, ObjectNode document, Set<tools.jackson.databind.JsonNode> parts) {
        if (node.isObject()) {
            if (node.has("allOf")) {
                for (tools.jackson.databind.JsonNode part : node.get("allOf")) {
                    parts.add(part);
                    parts.add(resolve(part, document));
                }
            }
            node.values().forEach(v -> collectAllOfParts(v, document, parts));
        } else if (node.isArray()) {
            node.values().forEach(v -> collectAllOfParts(v, document, parts));
        }
    }

    private static void close(
            tools.jackson.databind.JsonNode node,
            ObjectNode document,
            Set<tools.jackson.databind.JsonNode> allOfParts) {
        if (node.isArray()) {
            node.values().forEach(v -> close(v, document, allOfParts));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        node.values().forEach(v -> close(v, document, allOfParts));
        ObjectNode schema = (ObjectNode) node;
        boolean definesProperties = schema.has("properties") || schema.has("allOf");
        if (definesProperties && !allOfParts.contains(schema) && !schema.has("additionalProperties")) {
            Set<String> names = new LinkedHashSet<>();
            collectNames(schema, names, document);
            ArrayNode allowed = schema.putObject("propertyNames").putArray("enum");
            names.forEach(allowed::add);
        }
    }

    private static void collectNames(tools.jackson.databind.JsonNode schema, Set<String> names) {
        collectNames(schema, names, DOCUMENT);
    }

    private static void collectNames(tools.jackson.databind.JsonNode schema, Set<String> names, ObjectNode document) {
        tools.jackson.databind.JsonNode s = resolve(schema, document);
        if (s.has("properties")) {
            names.addAll(s.get("properties").propertyNames());
        }
        if (s.has("allOf")) {
            s.get("allOf").values().forEach(part -> collectNames(part, names, document));
        }
    }

    private static tools.jackson.databind.JsonNode resolve(
            tools.jackson.databind.JsonNode schema, ObjectNode document) {
        tools.jackson.databind.JsonNode s = schema;
        while (s.has("$ref") && s.get("$ref").asString().startsWith(REF_PREFIX)) {
            s = document.get("components")
                    .get("schemas")
                    .get(s.get("$ref").asString().substring(REF_PREFIX.length()));
        }
        return s;
    }

    // ---- validation and the messages ------------------------------------------------------------

    /** One problem networknt reported, or one this class put in place of several. */
    private record Problem(
            List<String> evaluationPath,
            String instance,
            List<Object> instanceSegments,
            String keyword,
            String message,
            String property,
            tools.jackson.databind.JsonNode schemaNode) {}

    private static List<Problem> problems(Schema schema, JsonNode body, Collection<String> ownFields) {
        com.fasterxml.jackson.databind.JsonNode checked = body;
        if (body.isObject() && !ownFields.isEmpty()) {
            checked = ((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy()).without(ownFields);
        }
        List<Problem> problems = new ArrayList<>();
        for (Error e : schema.validate(JACKSON3.readTree(checked.toString()))) {
            List<Object> instance = elements(e.getInstanceLocation());
            problems.add(new Problem(
                    elements(e.getEvaluationPath()).stream()
                            .map(String::valueOf)
                            .toList(),
                    path(instance),
                    instance,
                    e.getKeyword(),
                    e.getMessage(),
                    e.getProperty(),
                    e.getSchemaNode()));
        }
        return problems;
    }

    /**
     * Resolves each failed {@code oneOf}/{@code anyOf}, innermost first: the alternatives meant for
     * another kind of value are dropped; if one alternative is left its problems stand for the
     * whole; if none is, one message says what was expected.
     */
    private static List<Problem> prune(List<Problem> problems) {
        List<Problem> current = new ArrayList<>(problems);
        Set<Group> groups = new LinkedHashSet<>();
        for (Problem p : current) {
            List<String> e = p.evaluationPath;
            for (int i = 0; i < e.size(); i++) {
                if (e.get(i).equals("oneOf") || e.get(i).equals("anyOf")) {
                    List<String> prefix = List.copyOf(e.subList(0, i + 1));
                    int depth = instanceDepth(prefix);
                    if (depth <= p.instanceSegments.size()) {
                        groups.add(new Group(prefix, List.copyOf(p.instanceSegments.subList(0, depth))));
                    }
                }
            }
        }
        List<Group> innermostFirst = new ArrayList<>(groups);
        innermostFirst.sort(Comparator.comparingInt((Group g) -> g.evaluationPath.size())
                .thenComparingInt(g -> g.instance.size())
                .reversed());
        for (Group group : innermostFirst) {
            current = resolveGroup(current, group);
        }
        Map<String, Problem> unique = new LinkedHashMap<>();
        for (Problem p : current) {
            unique.putIfAbsent(p.instance + "\n" + p.message, p);
        }
        return List.copyOf(unique.values());
    }

    /**
     * One {@code oneOf}/{@code anyOf} applied to one value: the evaluation path alone does not say
     * which (the {@code items} of {@code messages} are one schema for every message).
     */
    private record Group(List<String> evaluationPath, List<Object> instance) {}

    /** How many steps into the value an evaluation path has gone: one per property, item or map entry. */
    private static int instanceDepth(List<String> evaluationPath) {
        int depth = 0;
        for (int i = 0; i < evaluationPath.size(); i++) {
            switch (evaluationPath.get(i)) {
                case "properties", "patternProperties", "prefixItems" -> {
                    depth++;
                    i++; // the property name, pattern or index
                }
                case "items", "additionalProperties", "unevaluatedProperties", "additionalItems" -> depth++;
                case "allOf", "anyOf", "oneOf", "$defs", "definitions", "dependentSchemas" -> i++; // the index or name
                default -> {} // $ref, not, if, then, else: the same value
            }
        }
        return depth;
    }

    private static boolean startsWith(List<?> list, List<?> prefix) {
        return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
    }

    private static List<Problem> resolveGroup(List<Problem> problems, Group group) {
        List<String> prefix = group.evaluationPath;
        List<Object> at = group.instance;
        Problem own = null;
        Map<String, List<Problem>> branches = new LinkedHashMap<>();
        List<Problem> rest = new ArrayList<>();
        for (Problem p : problems) {
            boolean here = startsWith(p.instanceSegments, at);
            if (here && p.evaluationPath.equals(prefix) && p.keyword.equals(prefix.get(prefix.size() - 1))) {
                own = p;
            } else if (here && p.evaluationPath.size() > prefix.size() && startsWith(p.evaluationPath, prefix)) {
                branches.computeIfAbsent(p.evaluationPath.get(prefix.size()), k -> new ArrayList<>())
                        .add(p);
            } else {
                rest.add(p);
            }
        }
        if (branches.isEmpty()) {
            return problems; // e.g. a oneOf that more than one alternative matched: its own message is the answer
        }
        List<List<Problem>> applicable = new ArrayList<>();
        Set<String> expectedTypes = new LinkedHashSet<>();
        String found = null;
        Map<Object, Set<String>> discriminators = new LinkedHashMap<>();
        for (List<Problem> branch : branches.values()) {
            Problem typeMismatch = branch.stream()
                    .filter(p -> p.keyword.equals("type") && p.instanceSegments.equals(at))
                    .findFirst()
                    .orElse(null);
            Problem otherKind = branch.stream()
                    .filter(p -> isDiscriminator(p, at))
                    .findFirst()
                    .orElse(null);
            if (typeMismatch != null) {
                addTypes(typeMismatch.schemaNode, expectedTypes);
                found = typeMismatch.message.split(" found", 2)[0];
            } else if (otherKind != null) {
                discriminators
                        .computeIfAbsent(otherKind.instanceSegments.get(at.size()), k -> new LinkedHashSet<>())
                        .add(
                                otherKind.schemaNode.isArray()
                                        ? otherKind.schemaNode.get(0).toString()
                                        : otherKind.schemaNode.toString());
            } else {
                applicable.add(branch);
            }
        }
        List<Problem> result = new ArrayList<>(rest);
        List<String> groupPath = prefix;
        if (applicable.size() == 1) {
            result.addAll(applicable.get(0));
        } else if (applicable.isEmpty() && discriminators.size() == 1) {
            Object property = discriminators.keySet().iterator().next();
            List<Object> where = new ArrayList<>(at);
            where.add(property);
            result.add(new Problem(
                    groupPath,
                    path(where),
                    where,
                    "enum",
                    "does not have a value in the enumeration " + discriminators.get(property),
                    null,
                    JACKSON3.createArrayNode()));
        } else if (applicable.isEmpty() && discriminators.isEmpty() && !expectedTypes.isEmpty()) {
            ArrayNode types = JACKSON3.createArrayNode();
            expectedTypes.forEach(types::add);
            result.add(new Problem(
                    groupPath,
                    path(at),
                    at,
                    "type",
                    found + " found, " + String.join(" or ", expectedTypes) + " expected",
                    null,
                    types));
        } else {
            String message = own != null
                    ? own.message
                    : "must be valid to at least one of the " + branches.size() + " alternatives, but none is";
            result.add(new Problem(groupPath, path(at), at, "oneOf-resolved", message, null, null));
            applicable.forEach(result::addAll);
        }
        return result;
    }

    /** A one-value enum (or const) on a direct property: the alternative is for another role or type. */
    private static boolean isDiscriminator(Problem p, List<Object> at) {
        boolean oneValue = p.keyword.equals("const")
                || (p.keyword.equals("enum")
                        && p.schemaNode != null
                        && p.schemaNode.isArray()
                        && p.schemaNode.size() == 1);
        return oneValue
                && p.instanceSegments.size() == at.size() + 1
                && p.instanceSegments.subList(0, at.size()).equals(at);
    }

    private static void addTypes(tools.jackson.databind.JsonNode type, Set<String> into) {
        if (type == null) {
            return;
        }
        if (type.isArray()) {
            type.values().forEach(t -> into.add(t.asString()));
        } else {
            into.add(type.asString());
        }
    }

    private static List<String> format(List<Problem> problems) {
        return problems.stream().map(p -> p.instance + ": " + p.message).collect(Collectors.toList());
    }

    /** A path's elements: a String is a property name, an Integer an array index. */
    private static List<Object> elements(NodePath path) {
        List<Object> elements = new ArrayList<>(path.getNameCount());
        for (int i = 0; i < path.getNameCount(); i++) {
            elements.add(path.getElement(i));
        }
        return elements;
    }

    /** {@code $.messages[0].content}, as core.internal.SchemaCheck writes paths. */
    private static String path(List<Object> elements) {
        String path = "$";
        for (Object e : elements) {
            path = e instanceof Integer i ? path + "[" + i + "]" : child(path, String.valueOf(e));
        }
        return path;
    }

    private static String child(String path, String name) {
        return SIMPLE_NAME.matcher(name).matches() ? path + "." + name : path + "['" + name + "']";
    }
}
