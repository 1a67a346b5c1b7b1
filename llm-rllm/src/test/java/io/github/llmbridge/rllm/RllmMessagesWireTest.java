package io.github.llmbridge.rllm;

import io.github.llmbridge.core.contract.BackendMessagesWireContract;

/** The shared contract {@link BackendMessagesWireContract}, run against the gateway. */
class RllmMessagesWireTest extends BackendMessagesWireContract {
    RllmMessagesWireTest() {
        super(new RllmFixture());
    }
}
