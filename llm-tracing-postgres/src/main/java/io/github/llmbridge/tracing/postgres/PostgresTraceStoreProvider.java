package io.github.llmbridge.tracing.postgres;

import static io.github.llmbridge.tracing.postgres.PostgresTracingVariables.PGPASSFILE;
import static io.github.llmbridge.tracing.postgres.PostgresTracingVariables.PGPASSWORD;

import io.github.llmbridge.core.settings.Settings;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.internal.TraceStoreProvider;
import java.nio.file.Path;

/**
 * Lets {@code LLM_TRACE_DB} name a PostgreSQL database ({@code postgresql://},
 * {@code postgres://}, {@code jdbc:postgresql:}). Registered for {@link java.util.ServiceLoader};
 * not meant to be called directly.
 */
public final class PostgresTraceStoreProvider implements TraceStoreProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public PostgresTraceStoreProvider() {}

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean accepts(String location) {
        return PostgresLocation.isPostgres(location);
    }

    @Override
    public TraceStore open(String location, Settings settings, Options options) {
        return PostgresTraceStore.builder(location)
                .password(settings.get(PGPASSWORD).orElse(null))
                .pgPassFile(settings.get(PGPASSFILE).map(Path::of).orElseGet(PostgresTraceStoreProvider::home))
                .queueCapacity(options.queueCapacity())
                .fullQueuePolicy(options.policy())
                .fullMedia(options.fullMedia())
                .redact(options.secrets())
                .open();
    }

    private static Path home() {
        String home = System.getProperty("user.home");
        return home == null ? null : Path.of(home, ".pgpass");
    }
}
