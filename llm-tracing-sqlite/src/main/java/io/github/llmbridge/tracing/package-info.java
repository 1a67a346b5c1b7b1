/**
 * SQLite tracing of every call: {@link io.github.llmbridge.tracing.TracingChatClient} records one
 * {@link io.github.llmbridge.tracing.CallTrace} per logical call into a
 * {@link io.github.llmbridge.tracing.TraceStore}; {@link io.github.llmbridge.tracing.SqliteTraceStore}
 * writes them to a SQLite file on a background thread and answers queries
 * ({@link io.github.llmbridge.tracing.TraceRecord}, {@link io.github.llmbridge.tracing.TraceQuery},
 * {@link io.github.llmbridge.tracing.TraceSummary}). {@code ChatClients.fromEnv()} adds it when
 * {@code LLM_TRACE_DB} is set.
 */
package io.github.llmbridge.tracing;
