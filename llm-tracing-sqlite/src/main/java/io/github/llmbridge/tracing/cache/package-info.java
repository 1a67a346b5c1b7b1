/**
 * Recorded answers reused: {@link io.github.llmbridge.tracing.cache.CachingChatClient} answers
 * calls from a trace store, as an opt-in cache or as strict replay, keyed by
 * {@link io.github.llmbridge.tracing.cache.RequestHash}.
 */
package io.github.llmbridge.tracing.cache;
