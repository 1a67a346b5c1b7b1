package io.github.llmbridge.core;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import io.github.llmbridge.core.internal.Json;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * JSON Schemas derived from Java records and classes, in the form OpenAI's <em>strict</em>
 * structured outputs and strict function tools accept: the root is an object; every object lists
 * all its properties in {@code required} and has {@code "additionalProperties": false}; a field
 * that may be absent is an {@code Optional<X>} or is annotated {@code @Nullable} (any annotation of
 * that simple name) and becomes nullable ({@code "type": ["string", "null"]}, or an {@code anyOf}
 * with {@code {"type": "null"}} for a nested object); enums become {@code enum} values; nested
 * records, {@code List}, {@code Set} and arrays work; a type used more than once, or recursively,
 * is defined once under {@code $defs} and referenced as {@code #/$defs/Name} (a recursive root is
 * {@code #}). Jackson's annotations are honoured as Jackson reads the reply: {@code @JsonProperty}
 * names, {@code @JsonPropertyDescription} and {@code @JsonClassDescription} descriptions,
 * {@code @JsonIgnore}, {@code @JsonPropertyOrder}; otherwise properties keep their declaration
 * order (a record's component order), which is the order the model writes them in, so put a
 * {@code reasoning} field before the {@code score} it should lead to.
 *
 * <pre>{@code
 * record Score(@JsonPropertyDescription("one or two sentences") String reasoning, int score) {}
 *
 * ObjectNode schema = JsonSchemas.of(Score.class);
 * // {"type":"object","properties":{"reasoning":{"type":"string","description":"one or two sentences"},
 * //  "score":{"type":"integer"}},"required":["reasoning","score"],"additionalProperties":false}
 * }</pre>
 *
 * <p>Schemas are generated with victools' jsonschema-generator once per type and cached; every
 * call returns a fresh copy the caller may change. Safe to call from any thread.
 */
public final class JsonSchemas {

    /** Marks a type that has no strict schema, so that {@link #checkStrict} can name where it is used. */
    private static final String UNSUPPORTED = "x-llmbridge-unsupported";

    /** The keywords OpenAI's strict mode accepts (and that a generated schema can contain). */
    private static final List<String> STRICT_KEYWORDS = List.of(
            "type",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "enum",
            "const",
            "anyOf",
            "$ref",
            "$defs",
            "description",
            "minItems",
            "maxItems",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "pattern",
            "format");

    private static final SchemaGenerator GENERATOR = generator();

    /** Per raw class, so that the cache never keeps a class (and its class loader) alive. */
    private static final ClassValue<Map<Type, ObjectNode>> CACHE = new ClassValue<>() {
        @Override
        protected Map<Type, ObjectNode> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private JsonSchemas() {}

    /**
     * Returns the strict JSON Schema of a record or class (or of a parameterized type such as
     * {@code Page<Score>}, from a {@code TypeReference} or a field's generic type).
     *
     * @param type the Java type the model's JSON reply is read into
     * @return a fresh copy of the schema
     * @throws IllegalArgumentException when no strict object schema describes the type: the root is
     *     not an object with fixed properties (a primitive, {@code String}, an enum, a collection or
     *     array, a {@code Map}, {@code JsonNode}, {@code Object}, an interface), or a property's type
     *     has no fixed properties either (a {@code Map}, {@code JsonNode}, {@code Object}, an
     *     unresolved type variable); the message names the type, the property and what to do
     *     instead (wrap it in a record, or use {@link ResponseFormat#jsonObject()})
     */
    public static ObjectNode of(Type type) {
        if (type == null) {
            throw new IllegalArgumentException("JsonSchemas.of needs a type, was null");
        }
        Class<?> raw = rawClass(type);
        return CACHE.get(raw).computeIfAbsent(type, JsonSchemas::generate).deepCopy();
    }

    private static ObjectNode generate(Type type) {
        String name = type.getTypeName();
        rejectNonObjectRoot(type, name);
        ObjectNode schema;
        synchronized (GENERATOR) { // victools documents reuse, not concurrent use; each type is generated once
            schema = GENERATOR.generateSchema(type);
        }
        checkStrict(schema, name);
        return schema;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        throw new IllegalArgumentException("JsonSchemas.of(" + type.getTypeName() + "): only a class or a"
                + " parameterized class has a schema; pass the concrete type the reply is read into");
    }

    /** Fails early, with advice, for the roots people try most: they are valid JSON, but not an object. */
    private static void rejectNonObjectRoot(Type type, String name) {
        Class<?> raw = rawClass(type);
        String what;
        if (raw.isPrimitive()
                || Number.class.isAssignableFrom(raw)
                || raw == Boolean.class
                || raw == Character.class
                || CharSequence.class.isAssignableFrom(raw)) {
            what = "is a JSON "
                    + (CharSequence.class.isAssignableFrom(raw) || raw == Character.class
                            ? "string"
                            : raw == boolean.class || raw == Boolean.class ? "boolean" : "number");
        } else if (raw.isEnum()) {
            what = "is an enum (a JSON string)";
        } else if (raw.isArray() || Iterable.class.isAssignableFrom(raw)) {
            what = "is a JSON array, and strict structured outputs need an object at the root";
        } else if (Map.class.isAssignableFrom(raw)) {
            what = "is a Map, whose keys are not fixed";
        } else if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
            what = "can hold any JSON, so it has no fixed properties";
        } else if (raw == Optional.class
                || raw == OptionalInt.class
                || raw == OptionalLong.class
                || raw == OptionalDouble.class) {
            what = "is an Optional; a strict root is always present";
        } else if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            what = "is " + (raw.isInterface() ? "an interface" : "abstract") + ", so its properties are not known";
        } else {
            return;
        }
        throw new IllegalArgumentException("JsonSchemas.of(" + name + "): " + raw.getSimpleName() + " " + what
                + ". A strict JSON schema's root must be an object with fixed properties: wrap the value in a"
                + " record (e.g. record Answer(" + raw.getSimpleName() + " value) {}), or ask for any JSON"
                + " object with ResponseFormat.jsonObject() instead.");
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(
                        Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                        Option.FLATTENED_OPTIONALS,
                        Option.ENUM_KEYWORD_FOR_SINGLE_VALUES, // a one-constant enum stays "enum", not "const"
                        Option.PLAIN_DEFINITION_KEYS) // "$defs" keys without the "(", ")" and "<" of generic names
                // enums are written below as Jackson writes them; victools' own enum handling stays out
                .without(Option.SCHEMA_VERSION_INDICATOR, Option.FLATTENED_ENUMS, Option.SIMPLIFIED_ENUMS);
        config.forFields()
                .withRequiredCheck(field -> true) // strict mode: every property is required, absence is null
                .withNullableCheck(JsonSchemas::isNullable);
        config.forTypesInGeneral()
                .withPropertySorter(JsonSchemas.declarationOrder())
                .withCustomDefinitionProvider((javaType, context) -> enumAsJacksonWritesIt(javaType))
                .withCustomDefinitionProvider((javaType, context) -> unsupported(javaType));
        return new SchemaGenerator(config.build());
    }

    /** {@code Optional<X>}, or annotated with any annotation called {@code Nullable} (JSpecify, JSR 305, ...). */
    private static boolean isNullable(FieldScope field) {
        if (field.getDeclaredType().getErasedType() == Optional.class) {
            return true;
        }
        Field raw = field.getRawMember();
        return hasNullable(raw) || hasNullable(raw.getAnnotatedType()) || accessorHasNullable(raw);
    }

    private static boolean accessorHasNullable(Field field) {
        Class<?> owner = field.getDeclaringClass();
        if (!owner.isRecord()) {
            return false;
        }
        return Arrays.stream(owner.getRecordComponents())
                .filter(c -> c.getName().equals(field.getName()))
                .anyMatch(c -> hasNullable(c) || hasNullable(c.getAnnotatedType()));
    }

    private static boolean hasNullable(AnnotatedElement element) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Properties in the order Jackson writes them: {@code @JsonPropertyOrder} first, then record
     * components in order, then other fields as declared (superclass fields first).
     */
    private static Comparator<MemberScope<?, ?>> declarationOrder() {
        return Comparator.<MemberScope<?, ?>>comparingInt(m -> m.getRawMember() instanceof Field ? 0 : 1)
                .thenComparingInt(JsonSchemas::explicitOrder)
                .thenComparingInt(m -> depth(m.getRawMember().getDeclaringClass()))
                .thenComparingInt(JsonSchemas::declarationIndex);
    }

    private static int explicitOrder(MemberScope<?, ?> member) {
        JsonPropertyOrder order = member.getRawMember().getDeclaringClass().getAnnotation(JsonPropertyOrder.class);
        if (order == null) {
            return Integer.MAX_VALUE;
        }
        int i = Arrays.asList(order.value()).indexOf(member.getSchemaPropertyName());
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static int depth(Class<?> type) {
        int depth = 0;
        for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    private static int declarationIndex(MemberScope<?, ?> member) {
        Class<?> owner = member.getRawMember().getDeclaringClass();
        String name = member.getRawMember().getName();
        List<String> names = owner.isRecord()
                ? Stream.of(owner.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList()
                : Stream.of(owner.getDeclaredFields()).map(Field::getName).toList();
        int i = names.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /**
     * An enum's values exactly as the library's Jackson mapper writes (and so reads) its constants:
     * {@code name()}, or {@code @JsonProperty} on a constant, or a {@code @JsonValue} method. (The
     * Jackson module's own enum support drops a {@code @JsonProperty} unless every constant has one.)
     */
    private static CustomDefinition enumAsJacksonWritesIt(ResolvedType javaType) {
        Object[] constants = javaType.getErasedType().getEnumConstants();
        if (constants == null || constants.length == 0) {
            return null;
        }
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        Set<String> types = new LinkedHashSet<>();
        for (Object constant : constants) {
            JsonNode value = Json.MAPPER.valueToTree(constant);
            values.add(value);
            types.add(
                    value.isTextual()
                            ? "string"
                            : value.isIntegralNumber()
                                    ? "integer"
                                    : value.isNumber() ? "number" : value.isBoolean() ? "boolean" : "unsupported");
        }
        if (types.size() != 1 || types.contains("unsupported")) {
            ObjectNode marker = JsonNodeFactory.instance.objectNode();
            marker.put(
                    UNSUPPORTED,
                    javaType.getBriefDescription() + ": its constants are written as " + values
                            + "; strict enums need values of one JSON type");
            return new CustomDefinition(
                    marker, CustomDefinition.DefinitionType.INLINE, CustomDefinition.EXCLUDING_ATTRIBUTES);
        }
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", types.iterator().next());
        schema.set("enum", values);
        return new CustomDefinition(schema);
    }

    /** A marker in place of a type without fixed properties; {@link #checkStrict} reports where it is used. */
    private static CustomDefinition unsupported(ResolvedType javaType) {
        Class<?> raw = javaType.getErasedType();
        String advice;
        if (Map.class.isAssignableFrom(raw)) {
            advice = "a Map's keys are not fixed; use a record, or a List of key/value records";
        } else if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
            advice = "it can hold any JSON; use a record with the fields you expect (an unresolved type"
                    + " variable is Object too: pass the parameterized type)";
        } else if (raw == OptionalInt.class || raw == OptionalLong.class || raw == OptionalDouble.class) {
            advice = "use Optional<Integer>, Optional<Long> or Optional<Double>";
        } else {
            return null;
        }
        ObjectNode marker = JsonNodeFactory.instance.objectNode();
        marker.put(UNSUPPORTED, javaType.getBriefDescription() + ": " + advice);
        return new CustomDefinition(
                marker, CustomDefinition.DefinitionType.INLINE, CustomDefinition.EXCLUDING_ATTRIBUTES);
    }

    /**
     * Checks a generated schema against OpenAI's strict rules, naming the first place that breaks
     * one. By construction only unsupported property types and unusual Jackson annotations (say,
     * polymorphic subtypes, which need {@code allOf}) can.
     */
    private static void checkStrict(ObjectNode schema, String typeName) {
        JsonNode type = schema.get("type");
        if (type == null || !type.isTextual() || !type.asText().equals("object") || schema.has("anyOf")) {
            fail(typeName, "", "is not a plain JSON object (" + brief(schema) + ")");
        }
        check(schema, typeName, "", true);
        JsonNode defs = schema.get("$defs");
        if (defs != null) {
            defs.fields().forEachRemaining(d -> check(d.getValue(), typeName, d.getKey(), false));
        }
    }

    private static void check(JsonNode node, String typeName, String where, boolean root) {
        if (!node.isObject()) {
            fail(typeName, where, "has a schema that is not an object: " + brief(node));
        }
        if (node.has(UNSUPPORTED)) {
            fail(
                    typeName,
                    where,
                    "has no strict schema: " + node.get(UNSUPPORTED).asText());
        }
        for (String keyword : iterable(node.fieldNames())) {
            if (!STRICT_KEYWORDS.contains(keyword)) {
                fail(typeName, where, "needs \"" + keyword + "\", which strict structured outputs do not support");
            }
        }
        if (!root && node.has("$defs")) {
            fail(typeName, where, "has nested \"$defs\"");
        }
        boolean object = false;
        JsonNode type = node.get("type");
        if (type != null) {
            for (JsonNode t : type.isArray() ? iterable(type.elements()) : List.of(type)) {
                object |= t.asText().equals("object");
            }
        }
        JsonNode properties = node.get("properties");
        if (object) {
            if (properties == null || properties.isEmpty()) {
                fail(
                        typeName,
                        where,
                        "is an object without properties (an interface, or a class without fields"
                                + " Jackson can fill?)");
            }
            JsonNode additional = node.get("additionalProperties");
            if (additional == null || !additional.isBoolean() || additional.asBoolean()) {
                fail(typeName, where, "allows additional properties");
            }
            JsonNode required = node.get("required");
            int listed = required == null ? 0 : required.size();
            if (listed != properties.size()) {
                fail(typeName, where, "does not list every property in \"required\"");
            }
        }
        if (properties != null) {
            properties.fields().forEachRemaining(p -> check(p.getValue(), typeName, join(where, p.getKey()), false));
        }
        if (node.has("items")) {
            check(node.get("items"), typeName, where + "[]", false);
        }
        if (node.has("anyOf")) {
            for (JsonNode branch : iterable(node.get("anyOf").elements())) {
                check(branch, typeName, where, false);
            }
        }
    }

    private static String join(String where, String property) {
        return where.isEmpty() ? property : where + "." + property;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }

    private static String brief(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    private static void fail(String typeName, String where, String problem) {
        String place = where.isEmpty() ? "the root" : "property '" + where + "'";
        throw new IllegalArgumentException("JsonSchemas.of(" + typeName + "): " + place + " " + problem
                + ". Strict structured outputs need objects with fixed properties all the way down: change that"
                + " part to a record, or ask for any JSON object with ResponseFormat.jsonObject() instead.");
    }
}
