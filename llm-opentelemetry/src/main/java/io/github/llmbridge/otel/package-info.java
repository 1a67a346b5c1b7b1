/**
 * OpenTelemetry GenAI observability for any {@link io.github.llmbridge.core.ChatClient}: start at
 * {@link io.github.llmbridge.otel.OpenTelemetryChatClient}, or set {@code LLM_OTEL=true} for
 * {@code ChatClients.fromEnv()}. The attributes, metrics and events, and the version of the
 * semantic conventions followed, are listed in {@link io.github.llmbridge.otel.GenAi}.
 */
package io.github.llmbridge.otel;
