/**
 * Test doubles for reward code: {@link io.github.llmbridge.core.testing.ScriptedChatClient} for
 * unit tests that script replies and failures and assert on requests, and the {@code mock}
 * backend ({@code LLM_BACKEND=mock}, {@link io.github.llmbridge.core.testing.MockChatClient}) that
 * answers deterministically so a whole training pipeline runs with no network and no key.
 */
package io.github.llmbridge.core.testing;
