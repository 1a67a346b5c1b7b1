/**
 * What every trace store shares and users never call: the bounded queue, the writer thread, the
 * row's column values and the queries. Exported only to LLM Bridge's own store modules; not API.
 */
package io.github.llmbridge.tracing.internal;
