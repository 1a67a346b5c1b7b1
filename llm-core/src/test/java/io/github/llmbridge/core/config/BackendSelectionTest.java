package io.github.llmbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@link ChatClients#chooseBackend} picks a backend from the switches the providers on the
 * classpath declare, with made-up backends: core knows none by name. {@code acme} and
 * {@code acme-gateway} share the two-way switch {@code USE_ACME_DIRECT} (as the seed's
 * {@code USE_OPENROUTER_DIRECT} is shared); {@code rllm} has a one-way switch of its own.
 */
class BackendSelectionTest {

    private static final BackendSwitch ACME_SWITCH = BackendSwitch.between("USE_ACME_DIRECT", "acme", "acme-gateway");
    private static final Provider ACME = new Provider("acme", ACME_SWITCH);
    private static final Provider GATEWAY = new Provider("acme-gateway", ACME_SWITCH);
    private static final Provider RLLM = new Provider("rllm", BackendSwitch.selecting("USE_RLLM", "rllm"));
    private static final Provider MOCK = new Provider("mock");

    private static ChatClients.BackendChoice choose(Map<String, String> env, Provider... onClasspath) {
        return ChatClients.chooseBackend(Settings.of(env), List.of(onClasspath));
    }

    private static LlmException chooseFails(Map<String, String> env, Provider... onClasspath) {
        LlmException e = catchThrowableOfType(LlmException.class, () -> choose(env, onClasspath));
        assertThat(e).as("the choice should fail").isNotNull();
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        return e;
    }

    @Test
    void aTrueSwitchPicksItsTrueBackend() {
        assertThat(choose(Map.of("USE_ACME_DIRECT", "yes"), ACME, GATEWAY, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("acme", "USE_ACME_DIRECT=yes"));
    }

    @Test
    void aFalseSwitchPicksItsFalseBackend() {
        assertThat(choose(Map.of("USE_ACME_DIRECT", "0"), ACME, GATEWAY, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("acme-gateway", "USE_ACME_DIRECT=0"));
    }

    @Test
    void anUnsetSwitchPicksItsDefault() {
        assertThat(choose(Map.of(), ACME, GATEWAY, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("acme-gateway", "USE_ACME_DIRECT not set"));
    }

    @Test
    void aSwitchPicksItsBackendByNameEvenWhenThatModuleIsMissing() {
        // Only the gateway is on the classpath, but true still means acme: never a silent fall-back.
        assertThat(choose(Map.of("USE_ACME_DIRECT", "true"), GATEWAY, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("acme", "USE_ACME_DIRECT=true"));
        // Only acme is on the classpath, but an unset switch still means the gateway.
        assertThat(choose(Map.of(), ACME, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("acme-gateway", "USE_ACME_DIRECT not set"));
    }

    @Test
    void llmBackendWinsOverTheSwitches() {
        assertThat(choose(Map.of("LLM_BACKEND", "Mock", "USE_ACME_DIRECT", "true"), ACME, GATEWAY, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("mock", "LLM_BACKEND=Mock"));
    }

    @Test
    void anInvalidSwitchValueIsAnErrorNamingTheVariableEvenWhenLlmBackendWins() {
        LlmException e = chooseFails(Map.of("LLM_BACKEND", "mock", "USE_ACME_DIRECT", "ture"), ACME, GATEWAY, MOCK);

        assertThat(e.getMessage()).contains("USE_ACME_DIRECT", "ture");
    }

    @Test
    void aSetSwitchWinsOverTheDefaultOfAnUnsetOne() {
        assertThat(choose(Map.of("USE_RLLM", "true"), ACME, GATEWAY, RLLM, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("rllm", "USE_RLLM=true"));
    }

    @Test
    void aSetSwitchThatPicksNothingLeavesTheDefaults() {
        assertThat(choose(Map.of("USE_RLLM", "false"), ACME, GATEWAY, RLLM, MOCK))
                .isEqualTo(new ChatClients.BackendChoice("acme-gateway", "USE_ACME_DIRECT not set"));
    }

    @Test
    void setSwitchesThatPickDifferentBackendsAreAnErrorAskingForLlmBackend() {
        LlmException e = chooseFails(Map.of("USE_ACME_DIRECT", "true", "USE_RLLM", "true"), ACME, GATEWAY, RLLM, MOCK);

        assertThat(e.getMessage()).contains("USE_ACME_DIRECT=true -> acme", "USE_RLLM=true -> rllm", "LLM_BACKEND");
    }

    @Test
    void setSwitchesThatAgreeAreNoConflict() {
        BackendSwitch alias = BackendSwitch.selecting("ACME_DIRECT", "acme");
        ChatClients.BackendChoice choice = choose(
                Map.of("USE_ACME_DIRECT", "true", "ACME_DIRECT", "1"),
                ACME,
                new Provider("acme-alias", alias),
                GATEWAY);

        assertThat(choice.name()).isEqualTo("acme");
        assertThat(choice.reason()).contains("USE_ACME_DIRECT=true", "ACME_DIRECT=1");
    }

    @Test
    void withoutLlmBackendOrASwitchNothingIsPickedAndTheErrorSaysWhatToSet() {
        LlmException e = chooseFails(Map.of(), RLLM, MOCK);

        assertThat(e.getMessage()).contains("LLM_BACKEND", "rllm, mock", "USE_RLLM=true -> rllm");
    }

    @Test
    void aSwitchNoBackendOnTheClasspathDeclaresIsNotRead() {
        assertThat(choose(Map.of("LLM_BACKEND", "mock", "USE_ACME_DIRECT", "ture"), MOCK)
                        .name())
                .isEqualTo("mock");
    }

    /** A provider that only declares a name and switches; choosing never creates a client. */
    private record Provider(String name, List<BackendSwitch> switches) implements ChatClientProvider {
        Provider(String name, BackendSwitch... switches) {
            this(name, List.of(switches));
        }

        @Override
        public ChatClient create(Settings settings) {
            throw new UnsupportedOperationException("not needed to choose");
        }
    }
}
