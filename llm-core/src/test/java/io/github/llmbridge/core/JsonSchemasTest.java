package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.SchemaCheck;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schemas derived from Java types are what OpenAI's strict structured outputs accept, and describe
 * the JSON that Jackson reads into (and writes from) the type.
 */
class JsonSchemasTest {

    /** Like JSpecify's or JSR 305's: only the simple name counts. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT})
    @interface Nullable {}

    /** Holds a TYPE_USE {@code Nullable}, as JSpecify's is. */
    static final class Jspecify {
        @Retention(RetentionPolicy.RUNTIME)
        @Target(ElementType.TYPE_USE)
        @interface Nullable {}

        private Jspecify() {}
    }

    record Score(
            @JsonPropertyDescription("one or two sentences") String reasoning, int score) {}

    enum Verdict {
        PASS,
        FAIL,
        @JsonProperty("needs_review")
        NEEDS_REVIEW
    }

    record Author(String name, @JsonProperty("e_mail") String email) {}

    record Comment(Author author, String text, Optional<Integer> line) {}

    @JsonClassDescription("A code review")
    @SuppressWarnings("ArrayRecordComponent") // an array property is what is under test
    record Review(
            @JsonPropertyDescription("step-by-step reasoning, written before the verdict")
            String reasoning,

            Verdict verdict,
            @JsonProperty("overall_score") double score,
            Author author,
            Optional<Author> reviewer,
            List<Comment> comments,
            Set<String> labels,
            int[] lines,
            Optional<String> summary,
            @Nullable String mood,
            @Jspecify.Nullable String hint,
            Optional<List<String>> followUps,
            @JsonIgnore String internal) {}

    record Node(String name, List<Node> children) {}

    enum Level {
        LOW(1),
        HIGH(5);

        private final int weight;

        Level(int weight) {
            this.weight = weight;
        }

        @JsonValue
        public int weight() {
            return weight;
        }
    }

    record Weighted(Level level, @Nullable List<String> notes) {}

    record Branch(String label, List<Branch> branches) {}

    record Tree(Branch trunk, Optional<Branch> spare) {}

    record Page<T>(List<T> items, int total) {}

    @JsonPropertyOrder({"score", "reasoning"})
    record Ordered(String reasoning, int score) {}

    record WithMap(String name, Map<String, Integer> counts) {}

    record WithJsonNode(String name, JsonNode anything) {}

    record Inner(Map<String, String> extras) {}

    record Outer(Inner inner, Inner again) {}

    interface Shape {}

    record WithInterface(Shape shape) {}

    @Test
    void derivesTheExactSchemaOfASmallRecord() {
        assertThat(JsonSchemas.of(Score.class)).isEqualTo(json("""
                {
                  "type": "object",
                  "properties": {
                    "reasoning": {"type": "string", "description": "one or two sentences"},
                    "score": {"type": "integer"}
                  },
                  "required": ["reasoning", "score"],
                  "additionalProperties": false
                }
                """));
    }

    @Test
    void derivesNestedRecordsListsEnumsOptionalsRenamesAndDescriptions() {
        ObjectNode schema = JsonSchemas.of(Review.class);

        assertThat(schema.get("description").asText()).isEqualTo("A code review");
        assertThat(schema.get("type").asText()).isEqualTo("object");
        // declaration order (the order the model writes in), Jackson's names, @JsonIgnore left out
        assertThat(names(schema.get("properties")))
                .containsExactly(
                        "reasoning",
                        "verdict",
                        "overall_score",
                        "author",
                        "reviewer",
                        "comments",
                        "labels",
                        "lines",
                        "summary",
                        "mood",
                        "hint",
                        "followUps");
        assertThat(names(schema.get("required"))).containsExactlyElementsOf(names(schema.get("properties")));
        JsonNode p = schema.get("properties");
        assertThat(p.get("reasoning"))
                .isEqualTo(
                        json(
                                "{\"type\": \"string\", \"description\": \"step-by-step reasoning, written before the verdict\"}"));
        assertThat(p.get("verdict"))
                .isEqualTo(json("{\"type\": \"string\", \"enum\": [\"PASS\", \"FAIL\", \"needs_review\"]}"));
        assertThat(p.get("overall_score")).isEqualTo(json("{\"type\": \"number\"}"));
        // Author is used twice (author, reviewer): defined once, referenced, and nullable where Optional
        assertThat(p.get("author")).isEqualTo(json("{\"$ref\": \"#/$defs/Author\"}"));
        assertThat(p.get("reviewer"))
                .isEqualTo(json("{\"anyOf\": [{\"type\": \"null\"}, {\"$ref\": \"#/$defs/Author\"}]}"));
        assertThat(schema.at("/$defs/Author")).isEqualTo(json("""
                {"type": "object",
                 "properties": {"name": {"type": "string"}, "e_mail": {"type": "string"}},
                 "required": ["name", "e_mail"], "additionalProperties": false}
                """));
        // a type used once is inlined, with its own nullable field
        assertThat(p.get("comments")).isEqualTo(json("""
                {"type": "array", "items": {
                  "type": "object",
                  "properties": {
                    "author": {"$ref": "#/$defs/Author"},
                    "text": {"type": "string"},
                    "line": {"type": ["integer", "null"]}
                  },
                  "required": ["author", "text", "line"], "additionalProperties": false}}
                """));
        assertThat(p.get("labels")).isEqualTo(json("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}"));
        assertThat(p.get("lines")).isEqualTo(json("{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}"));
        assertThat(p.get("summary")).isEqualTo(json("{\"type\": [\"string\", \"null\"]}"));
        assertThat(p.get("mood")).isEqualTo(json("{\"type\": [\"string\", \"null\"]}"));
        assertThat(p.get("hint")).isEqualTo(json("{\"type\": [\"string\", \"null\"]}"));
        assertThat(p.get("followUps"))
                .isEqualTo(json("{\"type\": [\"array\", \"null\"], \"items\": {\"type\": \"string\"}}"));
        assertFollowsOpenAiStrictRules(schema);
    }

    @Test
    void aRecursiveRootRefersToItselfAndARecursiveNestedTypeGoesToDefs() {
        assertThat(JsonSchemas.of(Node.class).at("/properties/children")).isEqualTo(json("""
                {"type": "array", "items": {"$ref": "#"}}
                """));

        ObjectNode tree = JsonSchemas.of(Tree.class);
        assertThat(tree.at("/properties/trunk")).isEqualTo(json("{\"$ref\": \"#/$defs/Branch\"}"));
        assertThat(tree.at("/$defs/Branch/properties/branches/items"))
                .isEqualTo(json("{\"$ref\": \"#/$defs/Branch\"}"));
        assertFollowsOpenAiStrictRules(tree);
    }

    @Test
    void writesEnumValuesAsJacksonDoesAndKeepsTheItemsOfANullableListNonNull() {
        ObjectNode schema = JsonSchemas.of(Weighted.class);

        assertThat(schema.at("/properties/level")).isEqualTo(json("{\"type\": \"integer\", \"enum\": [1, 5]}"));
        assertThat(schema.at("/properties/notes"))
                .isEqualTo(json("{\"type\": [\"array\", \"null\"], \"items\": {\"type\": \"string\"}}"));
    }

    @Test
    void resolvesAParameterizedType() {
        Type pageOfScores = new TypeReference<Page<Score>>() {}.getType();

        ObjectNode schema = JsonSchemas.of(pageOfScores);

        assertThat(schema.at("/properties/items/items/properties/score")).isEqualTo(json("{\"type\": \"integer\"}"));
        assertThat(schema.at("/properties/total")).isEqualTo(json("{\"type\": \"integer\"}"));
    }

    @Test
    void honoursJsonPropertyOrder() {
        assertThat(names(JsonSchemas.of(Ordered.class).get("properties"))).containsExactly("score", "reasoning");
    }

    @Test
    void describesTheJsonJacksonWritesForTheTypeSoAValidReplyReadsBack() throws Exception {
        ObjectMapper jackson = Json.MAPPER.copy().registerModule(new Jdk8Module());
        Author ann = new Author("Ann", "ann@example.org");
        Review full = new Review(
                "clear",
                Verdict.NEEDS_REVIEW,
                7.5,
                ann,
                Optional.of(ann),
                List.of(new Comment(ann, "nit", Optional.of(3)), new Comment(ann, "ok", Optional.empty())),
                Set.of("style"),
                new int[] {1, 2},
                Optional.empty(),
                null,
                "look at line 2",
                Optional.of(List.of("rename")),
                "never sent");
        JsonNode written = jackson.valueToTree(full);
        written = ((ObjectNode) written).without("internal"); // @JsonIgnore'd: neither in the schema nor written

        assertThat(SchemaCheck.violations(written, JsonSchemas.of(Review.class)))
                .isEmpty();
        assertThat(jackson.treeToValue(written, Review.class).verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    }

    @Test
    void cachesPerTypeButHandsEachCallerItsOwnCopy() {
        ObjectNode first = JsonSchemas.of(Score.class);
        first.put("type", "changed by the caller");
        ((ObjectNode) first.get("properties")).removeAll();

        ObjectNode second = JsonSchemas.of(Score.class);

        assertThat(second.get("type").asText()).isEqualTo("object");
        assertThat(names(second.get("properties"))).containsExactly("reasoning", "score");
        assertThat(second).isNotSameAs(JsonSchemas.of(Score.class));
    }

    @Test
    void givesEveryThreadTheSameSchema() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ObjectNode>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Class<?> type = i % 2 == 0 ? Tree.class : Review.class;
                calls.add(() -> JsonSchemas.of(type));
            }
            List<Future<ObjectNode>> results = pool.invokeAll(calls, 30, TimeUnit.SECONDS);
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(JsonSchemas.of(i % 2 == 0 ? Tree.class : Review.class));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            classes = {
                String.class,
                int.class,
                Integer.class,
                double.class,
                boolean.class,
                Verdict.class,
                List.class,
                String[].class,
                Map.class,
                JsonNode.class,
                ObjectNode.class,
                Object.class,
                Optional.class,
                Shape.class
            })
    void refusesARootThatIsNotAnObjectWithFixedProperties(Class<?> type) {
        assertThatThrownBy(() -> JsonSchemas.of(type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("JsonSchemas.of(" + type.getTypeName() + "): " + type.getSimpleName() + " ")
                .hasMessageContaining("wrap the value in a record")
                .hasMessageContaining("ResponseFormat.jsonObject()");
    }

    @Test
    void refusesAListAtTheRootEvenWhenItsItemsAreRecords() {
        assertThatThrownBy(() -> JsonSchemas.of(new TypeReference<List<Score>>() {}.getType()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("List is a JSON array");
    }

    @Test
    void refusesAMapPropertyNamingTheProperty() {
        assertThatThrownBy(() -> JsonSchemas.of(WithMap.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "property 'counts' has no strict schema: java.util.Map<java.lang.String,java.lang.Integer>")
                .hasMessageContaining("a List of key/value records")
                .hasMessageContaining("ResponseFormat.jsonObject()");
    }

    @Test
    void refusesAnyJsonPropertiesAndUnresolvedTypeVariables() {
        assertThatThrownBy(() -> JsonSchemas.of(WithJsonNode.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "property 'anything' has no strict schema: com.fasterxml.jackson.databind.JsonNode");
        assertThatThrownBy(() -> JsonSchemas.of(Page.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("property 'items[]' has no strict schema: java.lang.Object")
                .hasMessageContaining("pass the parameterized type");
    }

    @Test
    void namesTheDefinitionThatHoldsAnUnsupportedProperty() {
        assertThatThrownBy(() -> JsonSchemas.of(Outer.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "property 'Inner.extras' has no strict schema: java.util.Map<java.lang.String,java.lang.String>");
    }

    @Test
    void refusesAnObjectWithoutProperties() {
        assertThatThrownBy(() -> JsonSchemas.of(WithInterface.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("property 'shape' is an object without properties");
    }

    @Test
    void refusesANullType() {
        assertThatThrownBy(() -> JsonSchemas.of(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a type");
    }

    /**
     * OpenAI's published rules for strict schemas, checked independently of JsonSchemas' own check:
     * the root is an object (not anyOf); every object has additionalProperties false and lists
     * every property in required; only the supported keywords appear.
     */
    static void assertFollowsOpenAiStrictRules(JsonNode schema) {
        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.has("anyOf")).isFalse();
        List<JsonNode> all = new ArrayList<>();
        collect(schema, all);
        for (JsonNode node : all) {
            assertThat(names(node))
                    .as("keywords of %s", node)
                    .isSubsetOf(
                            "type",
                            "properties",
                            "required",
                            "additionalProperties",
                            "items",
                            "enum",
                            "anyOf",
                            "$ref",
                            "$defs",
                            "description");
            if (node.has("properties")) {
                assertThat(node.get("additionalProperties").asBoolean(true))
                        .as("additionalProperties of %s", node)
                        .isFalse();
                assertThat(names(node.get("required"))).containsExactlyElementsOf(names(node.get("properties")));
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        for (String container : List.of("properties", "$defs")) {
            if (node.has(container)) {
                node.get(container).elements().forEachRemaining(n -> collect(n, into));
            }
        }
        if (node.has("items")) {
            collect(node.get("items"), into);
        }
        if (node.has("anyOf")) {
            node.get("anyOf").elements().forEachRemaining(n -> collect(n, into));
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
