/**
 * Implementation details shared by LLM Bridge modules. Not part of the public API: anything here
 * may change without notice.
 */
package io.github.llmbridge.core.internal;
