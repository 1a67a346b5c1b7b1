/**
 * Spending limits: a {@link io.github.llmbridge.core.budget.SpendingBudget} caps what a client,
 * and optionally each {@link io.github.llmbridge.core.LlmSession}, may spend, in money where the
 * backend reports a cost and in tokens otherwise. The resilience layer asks it before every
 * attempt and charges it with every reply. Start at
 * {@link io.github.llmbridge.core.budget.SpendingBudget}.
 */
package io.github.llmbridge.core.budget;
