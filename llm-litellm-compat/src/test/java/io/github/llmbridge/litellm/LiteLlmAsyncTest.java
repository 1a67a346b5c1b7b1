package io.github.llmbridge.litellm;

import io.github.llmbridge.core.contract.BackendAsyncContract;

/**
 * The asynchronous contract of {@link LiteLlmChatClient}: {@code chatAsync} never blocks,
 * {@code chat} unwraps failures (also through the cost-mapping stage), cancellation and time limits
 * abort the exchange.
 */
class LiteLlmAsyncTest extends BackendAsyncContract {

    LiteLlmAsyncTest() {
        super(new LiteLlmFixture());
    }
}
