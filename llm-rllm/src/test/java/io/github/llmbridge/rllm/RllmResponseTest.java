package io.github.llmbridge.rllm;

import io.github.llmbridge.core.contract.BackendResponseContract;

/** The shared contract {@link BackendResponseContract}, run against the gateway. */
class RllmResponseTest extends BackendResponseContract {
    RllmResponseTest() {
        super(new RllmFixture());
    }
}
