/** SQLite tracing: {@code TracingChatClient}, {@code SqliteTraceStore} and queries over the traces. */
module io.github.llmbridge.tracing {
    requires transitive io.github.llmbridge.core;
    requires java.sql;
    requires org.slf4j;
    // The JDBC driver: used only through java.sql.DriverManager, required so a missing jar fails at startup.
    requires org.xerial.sqlitejdbc;

    exports io.github.llmbridge.tracing;
    exports io.github.llmbridge.tracing.cache;

    uses io.github.llmbridge.tracing.internal.TraceStoreProvider;
    // The queue, the writer, the row and the queries every store shares: not API.
    exports io.github.llmbridge.tracing.internal to
            io.github.llmbridge.tracing.postgres;

    provides io.github.llmbridge.core.config.ChatClientDecorator with
            io.github.llmbridge.tracing.SqliteTracingDecorator;
    provides io.github.llmbridge.core.settings.ConfigVariableSource with
            io.github.llmbridge.tracing.TracingVariables;
}
