/**
 * Assembly from the environment: {@link io.github.llmbridge.core.config.ChatClients#fromEnv()}
 * reads the configuration variables (typed and validated by
 * {@link io.github.llmbridge.core.config.Settings}), picks a backend through the
 * {@link io.github.llmbridge.core.config.ChatClientProvider} service interface, wraps it in
 * resilience and in every {@link io.github.llmbridge.core.config.ChatClientDecorator} whose
 * settings are present. Each module declares the variables it reads as
 * {@link io.github.llmbridge.core.config.ConfigVariable}s ({@code llm-core} in
 * {@link io.github.llmbridge.core.config.CoreVariables}, the others through the
 * {@link io.github.llmbridge.core.config.ConfigVariableSource} service interface), so the list of
 * variables, {@link io.github.llmbridge.core.config.ConfigVariables#all()}, is one fact in code.
 */
package io.github.llmbridge.core.config;
