package io.github.llmbridge.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry as llm-core sees it alone. That every module's variables are found, and that the
 * README, the Surefire list and the Doctor agree with them, is checked in examples
 * ({@code VariableListsTest}), the module with all of them on its classpath.
 */
class ConfigVariablesTest {

    private static ConfigVariable variable(String module, String name) {
        return ConfigVariable.builder(module, name)
                .meaning("m")
                .defaultValue("unset")
                .build();
    }

    @Test
    void coreDeclaresTheVariablesItReadsAndNamesNoOtherModule() {
        List<ConfigVariable> all = ConfigVariables.all();

        assertThat(all).extracting(ConfigVariable::module).containsOnly(CoreVariables.MODULE);
        assertThat(all)
                .contains(
                        CoreVariables.LLM_BACKEND,
                        CoreVariables.LLM_MAX_ATTEMPTS,
                        CoreVariables.LLM_TIMEOUT_SECONDS,
                        CoreVariables.HTTPS_PROXY);
    }

    @Test
    void namesListEverySpellingAndFallback() {
        List<String> names = List.copyOf(ConfigVariables.names());

        assertThat(names)
                .contains("HTTPS_PROXY", "https_proxy", "no_proxy", "LLM_TIMEOUT_SECONDS", "LITELLM_DEFAULT_TIMEOUT")
                .isSorted();
    }

    @Test
    void findReturnsAVariableByItsOwnNameOnly() {
        assertThat(ConfigVariables.find("LLM_MAX_ATTEMPTS")).contains(CoreVariables.LLM_MAX_ATTEMPTS);
        assertThat(ConfigVariables.find("https_proxy")).isEmpty();
        assertThat(ConfigVariables.find("LITELLM_DEFAULT_TIMEOUT")).isEmpty();
    }

    @Test
    void coreComesFirstThenModulesByNameEachInItsOwnOrder() {
        List<ConfigVariable> merged = ConfigVariables.merge(List.of(
                variable("llm-zeta", "Z_TWO"),
                variable("llm-alpha", "A_ONE"),
                variable("llm-zeta", "Z_ONE"),
                variable(CoreVariables.MODULE, "CORE_ONE")));

        assertThat(merged).extracting(ConfigVariable::name).containsExactly("CORE_ONE", "A_ONE", "Z_TWO", "Z_ONE");
    }

    @Test
    void twoModulesDeclaringOneNameDifferentlyIsAnErrorNamingBoth() {
        ConfigVariable other = ConfigVariable.builder("llm-two", "SHARED")
                .meaning("something else")
                .defaultValue("unset")
                .build();
        assertThatThrownBy(() -> ConfigVariables.merge(List.of(variable("llm-one", "SHARED"), other)))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessage("SHARED is declared differently by llm-one and by llm-two; modules that share a variable"
                        + " must declare it alike");
    }

    @Test
    void aVariableTwoModulesDeclareAlikeIsListedOnceWithBothModules() {
        List<ConfigVariable> merged = ConfigVariables.merge(
                List.of(variable("llm-two", "SHARED"), variable("llm-one", "SHARED"), variable("llm-one", "OWN")));

        assertThat(merged).extracting(ConfigVariable::name).containsExactlyInAnyOrder("SHARED", "OWN");
        assertThat(merged).filteredOn(v -> v.name().equals("SHARED")).hasSize(1);
        assertThat(ConfigVariables.merge(List.of(variable("llm-two", "SHARED"), variable("llm-one", "SHARED")))
                        .get(0)
                        .module())
                .isEqualTo("llm-one, llm-two");
    }

    @Test
    void coreDeclaresNoBackendSwitch() {
        // Neither backend owns USE_OPENROUTER_DIRECT: both read it, and core must not name either.
        assertThat(CoreVariables.variables()).extracting(ConfigVariable::name).doesNotContain("USE_OPENROUTER_DIRECT");
    }
}
