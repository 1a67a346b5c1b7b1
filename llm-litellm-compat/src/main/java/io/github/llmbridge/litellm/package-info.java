/** The LiteLLM-proxy backend ({@code LLM_BACKEND=litellm}, the default). */
package io.github.llmbridge.litellm;
