package io.github.llmbridge.litellm;

import io.github.llmbridge.core.contract.BackendReplyDetailsContract;

/**
 * The message model read from replies through {@link LiteLlmChatClient}: tool calls, refusals,
 * logprobs, token ids and reasoning.
 */
class LiteLlmReplyDetailsTest extends BackendReplyDetailsContract {

    LiteLlmReplyDetailsTest() {
        super(new LiteLlmFixture());
    }
}
