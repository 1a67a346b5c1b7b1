package io.github.llmbridge.core.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How every backend takes its settings from {@code ChatClients.fromEnv(...)}: the variables all
 * backends share limit its calls, and a bad value of any variable it reads is a configuration
 * error naming the variable and the value. A backend runs it by subclassing it with its
 * {@link ChatBackendFixture}; its subclass adds which variables select it and which win.
 */
public abstract class BackendFromEnvContract {

    /** The stub server, on a random loopback port; it answers every POST with a reply saying "ok". */
    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    protected static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    protected static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    /** A minimal request. */
    protected static final ChatRequest REQUEST =
            ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build();

    /** The backend under test. */
    protected final ChatBackendFixture fixture;

    /** Runs the contract against the backend {@code fixture} describes. */
    protected BackendFromEnvContract(ChatBackendFixture fixture) {
        this.fixture = fixture;
        openAiBodies.ownFields(fixture.ownBodyFields().toArray(String[]::new));
    }

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-1", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
                """)));
    }

    /** Returns the stub server's root URL, such as {@code http://127.0.0.1:41234}. */
    protected static String serverRoot() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    /** Returns the variables selecting the backend under test, pointed at the stub server, plus {@code name=value}. */
    private Map<String, String> envWith(String name, String value) {
        Map<String, String> env = new HashMap<>(fixture.env(fixture.baseUrl(serverRoot()), "k"));
        env.put(name, value);
        return env;
    }

    private LlmException configurationErrorFrom(Map<String, String> env) {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(env));
        assertThat(e).as("fromEnv should reject %s", env).isNotNull();
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        return e;
    }

    @ParameterizedTest(name = "{0}=0.3")
    @ValueSource(strings = {"LLM_TIMEOUT_SECONDS", "LITELLM_DEFAULT_TIMEOUT"})
    void timeoutVariableLimitsEachCall(String variable) {
        wm.stubFor(post(anyUrl()).willReturn(okJson("{}").withFixedDelay(10_000)));
        try (ChatClient c = ChatClients.fromEnv(envWith(variable, "0.3"))) {
            CompletableFuture<ChatResponse> f = c.chatAsync(REQUEST);

            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT));
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"LLM_TIMEOUT_SECONDS, soon", "LLM_MAX_RESPONSE_BYTES, lots"})
    void badSharedVariableIsAConfigurationErrorNamingTheVariable(String variable, String value) {
        LlmException e = configurationErrorFrom(envWith(variable, value));

        assertThat(e.getMessage()).contains(variable);
    }

    @ParameterizedTest(name = "base URL {0}")
    @ValueSource(strings = {"localhost:4000", "ftp://x", "http://", "not a url", "//localhost:4000"})
    void badBaseUrlIsAConfigurationErrorNamingTheVariable(String url) {
        LlmException e = configurationErrorFrom(envWith(fixture.baseUrlVariable(), url));

        assertThat(e.getMessage()).contains(fixture.baseUrlVariable()).contains(url);
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(strings = {"abc", "0", "-3", "1.5"})
    void badConcurrencyIsAConfigurationErrorNamingTheVariable(String value) {
        LlmException e = configurationErrorFrom(envWith(fixture.concurrencyVariable(), value));

        assertThat(e.getMessage()).contains(fixture.concurrencyVariable()).contains(value);
    }
}
