/**
 * Resilience for any {@link io.github.llmbridge.core.ChatClient}: retry with exponential backoff
 * and {@code Retry-After}, a whole-call deadline, a FIFO-queued semaphore bulkhead, fallback
 * models and opt-in fail-open, built on Resilience4j. Start at {@link
 * io.github.llmbridge.core.resilience.ResilientChatClient}.
 */
package io.github.llmbridge.core.resilience;
