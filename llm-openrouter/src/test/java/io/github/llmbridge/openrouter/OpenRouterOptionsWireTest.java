package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ReasoningEffort;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import io.github.llmbridge.openrouter.OpenRouterOptions.DataCollection;
import io.github.llmbridge.openrouter.OpenRouterOptions.Sort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing options and fallback models reach the wire as the exact JSON of
 * docs/WIRE.md#openrouter: typed options per request or as client defaults, the request's own
 * {@code extraBody} winning, and a bare client's fallback models sent as OpenRouter's
 * {@code models} list.
 */
class OpenRouterOptionsWireTest {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private static final String REPLY = """
            {"id": "gen-1", "model": "anthropic/claude-3-haiku",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    @BeforeEach
    void stub() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
    }

    private static OpenRouterChatClient.Builder client() {
        return OpenRouterChatClient.builder().apiKey("sk-or-test-options").baseUrl("http://127.0.0.1:" + wm.getPort());
    }

    private static ChatRequest.Builder judge() {
        return ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi");
    }

    private static ChatResponse send(OpenRouterChatClient.Builder builder, ChatRequest request) {
        try (OpenRouterChatClient c = builder.build()) {
            return c.chat(request);
        }
    }

    private static void assertBody(String json) {
        wm.verify(1, postRequestedFor(anyUrl()).withRequestBody(equalToJson(json)));
    }

    @Test
    void everyTypedOptionSerialisesToWiresJson() {
        OpenRouterOptions options = OpenRouterOptions.builder()
                .models("openai/gpt-4o-mini", "anthropic/claude-3-haiku")
                .providerOrder("openai", "azure")
                .providerOnly("openai", "azure", "together")
                .providerIgnore("deepinfra")
                .allowFallbacks(false)
                .requireParameters(true)
                .dataCollection(DataCollection.DENY)
                .sort(Sort.THROUGHPUT)
                .maxPrice(1.0, 2.5)
                .transforms("middle-out")
                .reasoningEffort(ReasoningEffort.HIGH)
                .reasoningExclude(true)
                .build();

        send(client(), options.applyTo(judge()).build());

        assertBody("""
                {"model": "openai/gpt-4o-mini",
                 "messages": [{"role": "user", "content": "Hi"}],
                 "models": ["openai/gpt-4o-mini", "anthropic/claude-3-haiku"],
                 "provider": {"order": ["openai", "azure"], "only": ["openai", "azure", "together"],
                              "ignore": ["deepinfra"], "allow_fallbacks": false, "require_parameters": true,
                              "data_collection": "deny", "sort": "throughput",
                              "max_price": {"prompt": 1.0, "completion": 2.5}},
                 "transforms": ["middle-out"],
                 "reasoning": {"effort": "high", "exclude": true}}
                """);
    }

    @Test
    void sortAndEffortAreOpenSetsSoValuesNewerThanThisClientAreSent() {
        send(
                client(),
                OpenRouterOptions.builder()
                        .sort(Sort.of("some-future-sort"))
                        .reasoningEffort(ReasoningEffort.of("ultra"))
                        .build()
                        .applyTo(judge())
                        .build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "provider": {"sort": "some-future-sort"}, "reasoning": {"effort": "ultra"}}
                """);
    }

    @Test
    void thePublishedSpecsExactoSortAndMaxEffortHaveConstants() {
        send(
                client(),
                OpenRouterOptions.builder()
                        .sort(Sort.EXACTO)
                        .reasoningEffort(ReasoningEffort.MAX)
                        .build()
                        .applyTo(judge())
                        .build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "provider": {"sort": "exacto"}, "reasoning": {"effort": "max"}}
                """);
        assertThat(Sort.of("price")).isEqualTo(Sort.PRICE);
        assertThatThrownBy(() -> ReasoningEffort.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheOptionsThatAreSetAreWritten() {
        OpenRouterOptions options = OpenRouterOptions.builder()
                .sort(Sort.PRICE)
                .reasoningMaxTokens(2000)
                .build();

        send(client(), options.applyTo(judge().temperature(0.0)).build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "temperature": 0.0,
                 "provider": {"sort": "price"}, "reasoning": {"max_tokens": 2000}}
                """);
    }

    @Test
    void emptyTransformsAreSentToTurnOpenRoutersDefaultsOff() {
        send(
                client(),
                OpenRouterOptions.builder()
                        .transforms()
                        .build()
                        .applyTo(judge())
                        .build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "transforms": []}
                """);
    }

    @Test
    void defaultOptionsGoOnEveryRequest() {
        OpenRouterOptions defaults = OpenRouterOptions.builder()
                .providerOrder("openai")
                .allowFallbacks(false)
                .build();

        send(client().defaultOptions(defaults), judge().build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "provider": {"order": ["openai"], "allow_fallbacks": false}}
                """);
    }

    @Test
    void aRequestsOwnFieldReplacesTheDefaultOfTheSameName() {
        OpenRouterOptions defaults = OpenRouterOptions.builder()
                .providerOrder("openai")
                .transforms("middle-out")
                .build();
        ChatRequest request =
                judge().extraBody("provider", Map.of("sort", "latency")).build();

        send(client().defaultOptions(defaults), request);

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "provider": {"sort": "latency"}, "transforms": ["middle-out"]}
                """);
    }

    @Test
    void bareClientSendsFallbackModelsNativelyAsOneCall() {
        ChatResponse reply = send(
                client(),
                judge().fallbackModels("anthropic/claude-3-haiku", "google/gemini-flash-1.5")
                        .build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "models": ["openai/gpt-4o-mini", "anthropic/claude-3-haiku", "google/gemini-flash-1.5"]}
                """);
        assertThat(reply.model()).as("the reply names the model that answered").isEqualTo("anthropic/claude-3-haiku");
    }

    @Test
    void nativeFallbackListDropsARepeatedPrimary() {
        send(
                client(),
                judge().fallbackModels("openai/gpt-4o-mini", "anthropic/claude-3-haiku")
                        .build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "models": ["openai/gpt-4o-mini", "anthropic/claude-3-haiku"]}
                """);
    }

    @Test
    void requestWithoutFallbackModelsSendsNoModelsList() {
        // What the resilience layer sends: fallbackModels emptied, so OpenRouter never falls back a second time.
        send(client(), judge().build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """);
    }

    @Test
    void explicitModelsOptionWinsOverTheRequestsFallbackModels() {
        OpenRouterOptions routing = OpenRouterOptions.builder()
                .models("openai/gpt-4o-mini", "mistralai/mistral-7b-instruct")
                .build();

        send(
                client().defaultOptions(routing),
                judge().fallbackModels("anthropic/claude-3-haiku").build());

        assertBody("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "models": ["openai/gpt-4o-mini", "mistralai/mistral-7b-instruct"]}
                """);
    }

    @Test
    void optionsAreValidatedWhenBuilt() {
        assertThatThrownBy(
                        () -> OpenRouterOptions.builder().models("gpt-4o-mini").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'openai/gpt-4o-mini'");
        assertThatThrownBy(() -> OpenRouterOptions.builder().models(List.of()).build())
                .hasMessageContaining("models needs at least one model id");
        assertThatThrownBy(() -> OpenRouterOptions.builder()
                        .reasoningEffort(ReasoningEffort.LOW)
                        .reasoningMaxTokens(100)
                        .build())
                .hasMessageContaining("not both");
        assertThatThrownBy(
                        () -> OpenRouterOptions.builder().reasoningMaxTokens(0).build())
                .hasMessageContaining("reasoningMaxTokens must be at least 1");
        assertThatThrownBy(() -> OpenRouterOptions.builder().maxPrice(-1, 1).build())
                .hasMessageContaining("maxPrice must not be negative");
        assertThatThrownBy(() ->
                        OpenRouterOptions.builder().providerOrder("openai", " ").build())
                .hasMessageContaining("providerOrder");
    }

    @Test
    void optionsAreValuesThatShowTheirJson() {
        OpenRouterOptions a = OpenRouterOptions.builder().sort(Sort.LATENCY).build();
        OpenRouterOptions b = OpenRouterOptions.builder().sort(Sort.LATENCY).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("OpenRouterOptions{\"provider\":{\"sort\":\"latency\"}}");
        assertThat(OpenRouterOptions.none().isEmpty()).isTrue();
        a.bodyFields().get("provider").withObjectProperty("x");
        assertThat(a).as("bodyFields returns a copy").isEqualTo(b);
    }
}
