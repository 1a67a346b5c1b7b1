package io.github.llmbridge.rllm;

import io.github.llmbridge.core.contract.BackendAsyncContract;

/** The shared contract {@link BackendAsyncContract}, run against the gateway. */
class RllmAsyncTest extends BackendAsyncContract {
    RllmAsyncTest() {
        super(new RllmFixture());
    }
}
