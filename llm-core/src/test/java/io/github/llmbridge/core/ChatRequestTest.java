package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    private static ChatRequest.Builder minimal() {
        return ChatRequest.builder().model("openai/gpt-4o-mini").user("hi");
    }

    @Test
    void keepsEveryFieldAndLeavesUnsetOnesEmpty() {
        ChatRequest r = minimal()
                .system("be brief")
                .temperature(0.0)
                .topP(1.0)
                .maxTokens(800)
                .stop("END")
                .seed(7L)
                .responseFormat(ResponseFormat.jsonObject())
                .frequencyPenalty(0.5)
                .presencePenalty(-0.5)
                .endUser("trainer-1")
                .metadata("step", 3)
                .timeout(Duration.ofSeconds(30))
                .extraBody("provider", Map.of("sort", "price"))
                .build();

        assertThat(r.model()).isEqualTo("openai/gpt-4o-mini");
        assertThat(r.messages()).containsExactly(ChatMessage.user("hi"), ChatMessage.system("be brief"));
        assertThat(r.temperature()).hasValue(0.0);
        assertThat(r.topP()).hasValue(1.0);
        assertThat(r.maxTokens()).hasValue(800);
        assertThat(r.stop()).containsExactly("END");
        assertThat(r.seed()).hasValue(7L);
        assertThat(r.responseFormat()).contains(ResponseFormat.jsonObject());
        assertThat(r.frequencyPenalty()).hasValue(0.5);
        assertThat(r.presencePenalty()).hasValue(-0.5);
        assertThat(r.endUser()).contains("trainer-1");
        assertThat(r.metadata()).containsExactly(Map.entry("step", 3));
        assertThat(r.timeout()).contains(Duration.ofSeconds(30));
        assertThat(r.extraBody().get("provider").toString()).isEqualTo("{\"sort\":\"price\"}");

        ChatRequest bare = minimal().build();
        assertThat(bare.temperature()).isEmpty();
        assertThat(bare.maxTokens()).isEmpty();
        assertThat(bare.seed()).isEmpty();
        assertThat(bare.responseFormat()).isEmpty();
        assertThat(bare.stop()).isEmpty();
        assertThat(bare.metadata()).isEmpty();
        assertThat(bare.timeout()).isEmpty();
    }

    @Test
    void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
        ChatRequest original = minimal().temperature(0.2).metadata("a", 1).build();
        ChatRequest variant = original.toBuilder()
                .model("anthropic/claude-3-haiku")
                .metadata("b", 2)
                .build();

        assertThat(original.model()).isEqualTo("openai/gpt-4o-mini");
        assertThat(original.metadata()).containsOnlyKeys("a");
        assertThat(variant.model()).isEqualTo("anthropic/claude-3-haiku");
        assertThat(variant.temperature()).hasValue(0.2);
        assertThat(variant.metadata()).containsOnlyKeys("a", "b");
        assertThat(variant.messages()).isEqualTo(original.messages());
    }

    @Test
    void fallbackModelsAndTagsAreKeptByToBuilderAndNotWrittenToTheBody() {
        ChatRequest request = minimal()
                .fallbackModels("anthropic/claude-3-haiku", "google/gemini-flash-1.5")
                .tags("judge", "step-3")
                .build();
        ChatRequest copy = request.toBuilder().build();

        assertThat(copy.fallbackModels()).containsExactly("anthropic/claude-3-haiku", "google/gemini-flash-1.5");
        assertThat(copy.tags()).containsExactly("judge", "step-3");
        assertThat(request.toBuilder().fallbackModels(List.of()).build().fallbackModels())
                .isEmpty();
        assertThat(io.github.llmbridge.core.internal.transport.ChatRequestJson.write(request)
                        .has("tags"))
                .isFalse();
        assertThat(io.github.llmbridge.core.internal.transport.ChatRequestJson.write(request)
                        .has("models"))
                .isFalse();
        assertThatThrownBy(() -> minimal().fallbackModels(" x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fallback model id ' x'");
    }

    @Test
    void collectionsAreImmutable() {
        ChatRequest r = minimal().build();
        assertThatThrownBy(() -> r.messages().add(ChatMessage.user("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.metadata().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.extraBody().put("k", com.fasterxml.jackson.databind.node.NullNode.getInstance()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsMissingModelAndMessagesWithActionableMessages() {
        assertThatThrownBy(() -> ChatRequest.builder().user("hi").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a model");
        assertThatThrownBy(() -> ChatRequest.builder().model("  ").user("hi").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a model");
        assertThatThrownBy(() -> ChatRequest.builder().model("m").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one message");
        assertThatThrownBy(() ->
                        ChatRequest.builder().model(" openai/gpt-4o ").user("x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whitespace");
    }

    @Test
    void rejectsOutOfRangeNumbersNamingTheField() {
        assertThatThrownBy(() -> minimal().temperature(2.5).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> minimal().temperature(-0.1).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> minimal().temperature(Double.NaN).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> minimal().topP(1.5).build()).hasMessageContaining("topP");
        assertThatThrownBy(() -> minimal().maxTokens(0).build()).hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> minimal().frequencyPenalty(3.0).build()).hasMessageContaining("frequencyPenalty");
        assertThatThrownBy(() -> minimal().presencePenalty(-3.0).build()).hasMessageContaining("presencePenalty");
        assertThatThrownBy(() -> minimal().timeout(Duration.ZERO).build()).hasMessageContaining("timeout");
        assertThatThrownBy(() -> minimal().timeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("timeout");
    }

    @Test
    void changingAMapAfterBuildDoesNotChangeTheRequest() {
        Map<String, Object> provider = new java.util.HashMap<>(Map.of("sort", "price"));
        Map<String, Object> session = new java.util.HashMap<>(Map.of("episode", 1));
        ChatRequest r = minimal()
                .extraBody("provider", provider)
                .metadata("session", session)
                .build();
        provider.put("sort", "latency");
        session.put("episode", 2);

        assertThat(r.extraBody().get("provider").get("sort").asText()).isEqualTo("price");
        assertThat(r.metadata().get("session")).isEqualTo(Map.of("episode", 1));
    }

    @Test
    void aValueThatCannotBeJsonFailsAtBuildNamingTheKey() {
        Object selfReferencing = new Object() {
            // Jackson calls this public getter by reflection: the cycle it returns is what cannot be JSON.
            @SuppressWarnings({"UnusedMethod", "EffectivelyPrivate"})
            public Object getSelf() {
                return this;
            }
        };
        assertThatThrownBy(() -> minimal().extraBody("thread", selfReferencing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extraBody value for 'thread'");
        assertThatThrownBy(() -> minimal().metadata("thread", selfReferencing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadata value for 'thread'");
    }

    @Test
    void extraBodyCannotReplaceModelOrMessages() {
        assertThatThrownBy(() -> minimal().extraBody("model", "other").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'model'");
        assertThatThrownBy(() -> minimal().extraBody("messages", List.of()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'messages'");
    }

    @Test
    void toStringShowsShapeButNotPromptText() {
        ChatRequest r = minimal().system("SECRET PROMPT TEXT").build();
        assertThat(r.toString()).contains("openai/gpt-4o-mini").doesNotContain("SECRET PROMPT TEXT");
    }

    @Test
    void chatMessageRejectsBlankRoleAndNullContent() {
        assertThatThrownBy(() -> new ChatMessage(" ", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatMessage("user", null)).isInstanceOf(NullPointerException.class);
        assertThat(ChatMessage.assistant("ok").role()).isEqualTo("assistant");
    }

    @Test
    void responseFormatJsonSchemaNeedsANameAndAnObjectSchema() {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("", mapper.createObjectNode(), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("score", mapper.createArrayNode(), true))
                .isInstanceOf(IllegalArgumentException.class);
        ResponseFormat f =
                ResponseFormat.jsonSchema("score", mapper.createObjectNode().put("type", "object"), true);
        assertThat(f.type()).isEqualTo("json_schema");
        assertThat(f.schemaName()).contains("score");
        assertThat(f.strict()).isTrue();
    }
}
