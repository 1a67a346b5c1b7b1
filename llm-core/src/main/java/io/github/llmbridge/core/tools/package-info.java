/**
 * Tool-calling conversations run to their end: {@link io.github.llmbridge.core.tools.ToolLoop}
 * calls the model, runs the Java functions it named, sends the results back and repeats, each
 * round an ordinary call of any {@link io.github.llmbridge.core.ChatClient}, all within one
 * deadline. Built on the API in {@code io.github.llmbridge.core}; nothing there depends on it.
 */
package io.github.llmbridge.core.tools;
