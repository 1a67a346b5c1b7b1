/**
 * Diagnostics: the connection check that tells, before a training run, whether the configured
 * backend answers (settings, DNS, TCP, proxy tunnel, TLS, one tiny request), step by step with a
 * one-line fix for each failure. Start at {@link io.github.llmbridge.core.check.ConnectionCheck}.
 * Backends take part through {@link io.github.llmbridge.core.check.CheckTarget}, which they offer
 * from {@code ChatClient.unwrap}, not as part of their public type.
 */
package io.github.llmbridge.core.check;
