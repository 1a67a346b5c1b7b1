package io.github.llmbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Backend selection and decoration. Fake providers named {@code openrouter} and {@code litellm},
 * declaring the seed's switch as the real ones do, are registered only for these tests, through a
 * context class loader that sees a generated {@code META-INF/services} directory. The selection
 * rules themselves, with any switches, are {@link BackendSelectionTest}.
 */
class ChatClientsTest {

    @TempDir
    static Path services;

    private ClassLoader previous;

    @BeforeEach
    void registerFakes() throws IOException {
        Path dir = services.resolve("META-INF/services");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(ChatClientProvider.class.getName()),
                FakeOpenRouter.class.getName() + "\n" + FakeLiteLlm.class.getName() + "\n");
        Files.writeString(
                dir.resolve(ChatClientDecorator.class.getName()),
                OuterDecorator.class.getName() + "\n" + InnerDecorator.class.getName() + "\n");
        previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread()
                .setContextClassLoader(new URLClassLoader(
                        new URL[] {services.toUri().toURL()}, getClass().getClassLoader()));
        FakeClient.closed.clear();
    }

    @AfterEach
    void restore() {
        Thread.currentThread().setContextClassLoader(previous);
    }

    @ParameterizedTest(name = "USE_OPENROUTER_DIRECT={0} -> {1}")
    @CsvSource({
        "true,openrouter",
        "TRUE,openrouter",
        "True,openrouter",
        "1,openrouter",
        "yes,openrouter",
        "YES,openrouter",
        "false,litellm",
        "FALSE,litellm",
        "0,litellm",
        "no,litellm",
        "No,litellm"
    })
    void theSwitchSelectsTheBackendInEverySpelling(String value, String expected) {
        try (ChatClient client = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", value))) {
            assertThat(client.backend()).isEqualTo(expected);
        }
    }

    @Test
    void withoutTheSwitchTheLiteLlmProxyIsUsed() {
        try (ChatClient client = ChatClients.fromEnv(Map.of())) {
            assertThat(client.backend()).isEqualTo("litellm");
        }
        assertThat(ChatClients.chooseBackend(Settings.of(Map.of())).reason()).contains("USE_OPENROUTER_DIRECT not set");
    }

    @Test
    void llmBackendWinsOverTheSwitchAndIgnoresCase() {
        try (ChatClient client =
                ChatClients.fromEnv(Map.of("LLM_BACKEND", "OpenRouter", "USE_OPENROUTER_DIRECT", "false"))) {
            assertThat(client.backend()).isEqualTo("openrouter");
        }
        assertThat(ChatClients.chooseBackend(Settings.of(Map.of("LLM_BACKEND", "litellm")))
                        .reason())
                .isEqualTo("LLM_BACKEND=litellm");
    }

    @Test
    void aBadSwitchValueIsAConfigurationErrorNamingTheVariable() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "ture")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("USE_OPENROUTER_DIRECT")
                .hasMessageContaining("ture");
    }

    @Test
    void anUnknownBackendListsTheAvailableOnes() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "vertex")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("'vertex'")
                .hasMessageContaining("LLM_BACKEND=vertex")
                .hasMessageContaining("available: litellm, mock, openrouter");
        assertThat(ChatClients.availableBackends()).containsExactly("litellm", "mock", "openrouter");
    }

    @Test
    void providerConfigurationErrorsReachTheCaller() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "FAKE_FAIL", "1")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("FAKE_KEY");
    }

    @Test
    void enabledDecoratorsWrapTheBackendInOrder() {
        try (ChatClient client = ChatClients.fromEnv(Map.of("INNER", "on", "OUTER", "on"))) {
            ChatResponse reply =
                    client.chat(ChatRequest.builder().model("m").user("hi").build());
            // inner (order 1) wraps the backend first, outer (order 2) wraps inner
            assertThat(reply.content()).isEqualTo("outer(inner(litellm))");
        }
        try (ChatClient client = ChatClients.fromEnv(Map.of("OUTER", "on"))) {
            assertThat(client.chat(ChatRequest.builder().model("m").user("hi").build())
                            .content())
                    .isEqualTo("outer(litellm)");
        }
    }

    @Test
    void resilienceIsAlwaysApplied() {
        try (ChatClient client = ChatClients.fromEnv(Map.of("LLM_MAX_ATTEMPTS", "2"))) {
            assertThat(client.unwrap(io.github.llmbridge.core.resilience.ResilientChatClient.class))
                    .hasValueSatisfying(r -> assertThat(r.toString()).contains("maxAttempts=2"));
            assertThat(client.unwrap(FakeClient.class)).isPresent();
            ChatResponse reply =
                    client.chat(ChatRequest.builder().model("m").user("hi").build());
            assertThat(reply.attempts()).hasSize(1);
        }
        FakeClient.closed.clear();
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("LLM_MAX_ATTEMPTS", "0")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("LLM_MAX_ATTEMPTS");
        assertThat(FakeClient.closed)
                .as("the backend built before the bad setting was found")
                .containsExactly("litellm");
    }

    @Test
    void aFailingDecoratorClosesWhatWasAlreadyBuilt() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("INNER", "on", "OUTER", "fail")))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("OUTER");
        assertThat(FakeClient.closed).containsExactly("inner(litellm)");
    }

    /** A backend that answers with its own name. */
    static class FakeClient implements ChatClient {
        static final List<String> closed = new ArrayList<>();
        final String name;
        final Function<ChatRequest, CompletableFuture<ChatResponse>> handler;

        FakeClient(String name, Function<ChatRequest, CompletableFuture<ChatResponse>> handler) {
            this.name = name;
            this.handler = handler;
        }

        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            return handler.apply(request);
        }

        @Override
        public String backend() {
            return name;
        }

        @Override
        public void close() {
            synchronized (closed) {
                closed.add(name);
            }
        }
    }

    static FakeClient answering(String name) {
        return new FakeClient(
                name,
                r -> CompletableFuture.completedFuture(
                        ChatResponse.builder().content(name).backend(name).build()));
    }

    /** The seed's switch, declared alike by both fakes as by the real providers. */
    static final BackendSwitch SEED_SWITCH = BackendSwitch.between("USE_OPENROUTER_DIRECT", "openrouter", "litellm");

    public static class FakeOpenRouter implements ChatClientProvider {
        @Override
        public String name() {
            return "openrouter";
        }

        @Override
        public List<BackendSwitch> switches() {
            return List.of(SEED_SWITCH);
        }

        @Override
        public ChatClient create(Settings settings) {
            if (settings.get("FAKE_FAIL").isPresent()) {
                settings.require("fake needs a key", "FAKE_KEY");
            }
            return answering("openrouter");
        }
    }

    public static class FakeLiteLlm implements ChatClientProvider {
        @Override
        public String name() {
            return "litellm";
        }

        @Override
        public List<BackendSwitch> switches() {
            return List.of(SEED_SWITCH);
        }

        @Override
        public ChatClient create(Settings settings) {
            return answering("litellm");
        }
    }

    abstract static class WrappingDecorator implements ChatClientDecorator {
        abstract String variable();

        @Override
        public String name() {
            return variable().toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean isEnabled(Settings settings) {
            return settings.get(variable()).isPresent();
        }

        @Override
        public ChatClient decorate(ChatClient client, Settings settings) {
            if (settings.get(variable()).orElseThrow().equals("fail")) {
                throw new LlmException(ErrorCategory.CONFIGURATION, variable() + " is broken");
            }
            String label = name() + "("
                    + client.chat(ChatRequest.builder().model("m").user("x").build())
                            .content() + ")";
            return new FakeClient(
                    label,
                    r -> CompletableFuture.completedFuture(
                            ChatResponse.builder().content(label).build()));
        }
    }

    public static class OuterDecorator extends WrappingDecorator {
        @Override
        String variable() {
            return "OUTER";
        }

        @Override
        public int order() {
            return 2;
        }
    }

    public static class InnerDecorator extends WrappingDecorator {
        @Override
        String variable() {
            return "INNER";
        }

        @Override
        public int order() {
            return 1;
        }
    }
}
