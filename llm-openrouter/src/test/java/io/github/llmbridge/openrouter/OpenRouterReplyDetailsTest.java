package io.github.llmbridge.openrouter;

import io.github.llmbridge.core.contract.BackendReplyDetailsContract;

/**
 * The message model read from replies through {@link OpenRouterChatClient}: tool calls, refusals,
 * logprobs, token ids and reasoning.
 */
class OpenRouterReplyDetailsTest extends BackendReplyDetailsContract {

    OpenRouterReplyDetailsTest() {
        super(new OpenRouterFixture());
    }
}
