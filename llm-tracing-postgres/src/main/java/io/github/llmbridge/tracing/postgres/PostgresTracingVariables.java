package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables {@code llm-tracing-postgres} reads besides {@code LLM_TRACE_DB}:
 * libpq's own password sources, so a trainer's existing PostgreSQL setup works unchanged.
 */
public final class PostgresTracingVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-tracing-postgres";

    /** The password when the URL has none. */
    public static final ConfigVariable PGPASSWORD = ConfigVariable.builder(MODULE, "PGPASSWORD")
            .meaning("password for a PostgreSQL LLM_TRACE_DB whose URL has none (a password in the URL wins); never"
                    + " logged or stored")
            .defaultValue("unset")
            .secret()
            .build();

    /** The .pgpass file consulted when neither the URL nor PGPASSWORD gives a password. */
    public static final ConfigVariable PGPASSFILE = ConfigVariable.builder(MODULE, "PGPASSFILE")
            .meaning("libpq password file (host:port:database:user:password lines) consulted when neither the URL"
                    + " nor PGPASSWORD gives a password")
            .defaultValue("~/.pgpass")
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public PostgresTracingVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(PGPASSWORD, PGPASSFILE);
    }
}
