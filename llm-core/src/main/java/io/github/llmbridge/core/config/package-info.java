/**
 * Assembly from the environment: {@link io.github.llmbridge.core.config.ChatClients#fromEnv()}
 * reads the configuration variables (through {@link io.github.llmbridge.core.settings}), picks a
 * backend through the {@link io.github.llmbridge.core.config.ChatClientProvider} service interface
 * (by name, or by the {@link io.github.llmbridge.core.config.BackendSwitch}es the backends
 * declare), wraps it in resilience and in every
 * {@link io.github.llmbridge.core.config.ChatClientDecorator} whose settings are present.
 * {@link io.github.llmbridge.core.config.BackendBuilder} holds the settings every backend's builder
 * shares.
 */
package io.github.llmbridge.core.config;
