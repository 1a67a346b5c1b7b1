/**
 * LLM Bridge's core: the API ({@code ChatClient}, requests, replies, {@code LlmException}), assembly
 * from the environment, resilience, HTTP-proxy support, diagnostics and test doubles.
 *
 * <p>The transport, the error mapping and the shared internals are exported only to LLM Bridge's own
 * modules: they are not API, and a user's module that imports them does not compile.
 */
@SuppressWarnings({"module", "requires-automatic"})
module io.github.llmbridge.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires transitive java.net.http;
    requires org.slf4j;
    requires io.github.resilience4j.core;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.bulkhead;
    requires com.github.victools.jsonschema.generator;
    requires com.fasterxml.classmate; // victools names its types with classmate's ResolvedType
    requires com.github.victools.jsonschema.module.jackson;

    exports io.github.llmbridge.core;
    exports io.github.llmbridge.core.config;
    exports io.github.llmbridge.core.settings;
    exports io.github.llmbridge.core.resilience;
    exports io.github.llmbridge.core.httpproxy;
    exports io.github.llmbridge.core.check;
    exports io.github.llmbridge.core.testing;
    exports io.github.llmbridge.core.tools;
    exports io.github.llmbridge.core.judge;
    exports io.github.llmbridge.core.budget;
    exports io.github.llmbridge.core.internal.transport to
            io.github.llmbridge.openrouter,
            io.github.llmbridge.litellm,
            io.github.llmbridge.rllm,
            io.github.llmbridge.tracing;
    exports io.github.llmbridge.core.internal.errors to
            io.github.llmbridge.openrouter,
            io.github.llmbridge.litellm,
            io.github.llmbridge.rllm;
    exports io.github.llmbridge.core.internal to
            io.github.llmbridge.openrouter,
            io.github.llmbridge.litellm,
            io.github.llmbridge.rllm,
            io.github.llmbridge.tracing,
            io.github.llmbridge.otel;

    uses io.github.llmbridge.core.config.ChatClientProvider;
    uses io.github.llmbridge.core.config.ChatClientDecorator;
    uses io.github.llmbridge.core.settings.ConfigVariableSource;

    provides io.github.llmbridge.core.config.ChatClientProvider with
            io.github.llmbridge.core.testing.MockChatClientProvider;
}
