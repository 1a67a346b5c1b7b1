/** The direct OpenRouter backend ({@code LLM_BACKEND=openrouter} or {@code USE_OPENROUTER_DIRECT=true}). */
package io.github.llmbridge.openrouter;
