package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without llm-tracing-postgres, a database URL in {@code LLM_TRACE_DB} is refused, not taken for a file name. */
class TraceDbUrlTest {

    @Test
    void aPostgresqlUrlWithoutThePostgresModuleSaysWhichModuleToAddAndHidesThePassword() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND",
                        "fake-tracing",
                        "LLM_TRACE_DB",
                        "postgresql://trainer:hunter2-secret@db:5432/traces")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessage("LLM_TRACE_DB=postgresql://****@db:5432/traces is a URL, not a file, and PostgreSQL"
                        + " tracing needs io.github.llmbridge:llm-tracing-postgres on the class path");
    }

    @Test
    void anotherUrlIsRefusedNamingWhatIsAccepted() {
        assertThatThrownBy(() -> ChatClients.fromEnv(
                        Map.of("LLM_BACKEND", "fake-tracing", "LLM_TRACE_DB", "mysql://root@db/traces")))
                .isInstanceOf(LlmException.class)
                .hasMessage("LLM_TRACE_DB=mysql://****@db/traces is a URL, not a file; it takes a SQLite file path or,"
                        + " with llm-tracing-postgres, a postgresql:// URL");
    }
}
