/**
 * Judge helpers for reward code: {@link io.github.llmbridge.core.judge.LabelScores} turns a
 * judge's one-label answer into a logprob-weighted score over a
 * {@link io.github.llmbridge.core.judge.LabelSet}. Built on the API in
 * {@code io.github.llmbridge.core}; nothing there depends on it.
 */
package io.github.llmbridge.core.judge;
