/** Runnable examples: the offline demo behind the README's first command. */
package io.github.llmbridge.examples;
