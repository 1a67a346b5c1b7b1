package io.github.llmbridge.tracing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.tracing.contract.Traces;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresSmokeTest {
    @Test
    void writesAndReads() {
        TestPostgres pg = TestPostgres.shared();
        try (PostgresTraceStore store = PostgresTraceStore.open(pg.url(pg.newDatabase()))) {
            for (int i = 0; i < 100; i++) {
                store.enqueue(Traces.ok(i));
            }
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(store.find(
                            io.github.llmbridge.tracing.TraceQuery.builder().build()))
                    .hasSize(100);
        }
    }
}
