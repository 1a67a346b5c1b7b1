/**
 * Settings: the configuration variables as typed, validated values
 * ({@link io.github.llmbridge.core.settings.Settings}, every error naming the variable), and the
 * registry of every variable LLM Bridge reads. Each module declares the variables it reads as
 * {@link io.github.llmbridge.core.settings.ConfigVariable}s ({@code llm-core} in
 * {@link io.github.llmbridge.core.settings.CoreVariables}, the others through the
 * {@link io.github.llmbridge.core.settings.ConfigVariableSource} service interface), so the list of
 * variables, {@link io.github.llmbridge.core.settings.ConfigVariables#all()}, is one fact in code
 * that the README, the Doctor and the test environment are checked against. Depends on nothing but
 * the API: every other package may read settings.
 */
package io.github.llmbridge.core.settings;
