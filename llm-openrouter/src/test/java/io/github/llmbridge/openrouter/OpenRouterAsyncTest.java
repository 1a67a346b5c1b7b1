package io.github.llmbridge.openrouter;

import io.github.llmbridge.core.contract.BackendAsyncContract;

/**
 * The asynchronous contract of {@link OpenRouterChatClient}: {@code chatAsync} never blocks,
 * {@code chat} unwraps failures, cancellation and time limits abort the exchange.
 */
class OpenRouterAsyncTest extends BackendAsyncContract {

    OpenRouterAsyncTest() {
        super(new OpenRouterFixture());
    }
}
