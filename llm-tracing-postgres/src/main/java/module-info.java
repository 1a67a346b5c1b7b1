/** PostgreSQL tracing: {@code PostgresTraceStore}, one trace database that many processes and machines share. */
module io.github.llmbridge.tracing.postgres {
    requires transitive io.github.llmbridge.tracing;
    requires java.sql;
    requires org.slf4j;
    // The JDBC driver: used only through java.sql.DriverManager, required so a missing jar fails at startup.
    requires org.postgresql.jdbc;

    exports io.github.llmbridge.tracing.postgres;

    provides io.github.llmbridge.tracing.internal.TraceStoreProvider with
            io.github.llmbridge.tracing.postgres.PostgresTraceStoreProvider;
    provides io.github.llmbridge.core.settings.ConfigVariableSource with
            io.github.llmbridge.tracing.postgres.PostgresTracingVariables;
}
