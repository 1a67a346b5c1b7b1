/**
 * PostgreSQL tracing: {@link io.github.llmbridge.tracing.postgres.PostgresTraceStore} writes the
 * same traces as the SQLite store to one database that many processes and machines share.
 * {@code ChatClients.fromEnv()} uses it when {@code LLM_TRACE_DB} is a {@code postgresql://} or
 * {@code jdbc:postgresql:} URL.
 */
package io.github.llmbridge.tracing.postgres;
