package io.github.llmbridge.openrouter;

import io.github.llmbridge.core.contract.BackendMessagesWireContract;

/** The message model on the wire through {@link OpenRouterChatClient}: content parts, tools, tool conversations. */
class OpenRouterMessagesWireTest extends BackendMessagesWireContract {

    OpenRouterMessagesWireTest() {
        super(new OpenRouterFixture());
    }
}
