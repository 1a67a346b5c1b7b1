package io.github.llmbridge.litellm;

import io.github.llmbridge.core.contract.BackendMessagesWireContract;

/** The message model on the wire through {@link LiteLlmChatClient}: content parts, tools, tool conversations. */
class LiteLlmMessagesWireTest extends BackendMessagesWireContract {

    LiteLlmMessagesWireTest() {
        super(new LiteLlmFixture());
    }
}
