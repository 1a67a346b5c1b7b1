package io.github.llmbridge.rllm;

import io.github.llmbridge.core.contract.BackendReplyDetailsContract;

/** The shared contract {@link BackendReplyDetailsContract}, run against the gateway. */
class RllmReplyDetailsTest extends BackendReplyDetailsContract {
    RllmReplyDetailsTest() {
        super(new RllmFixture());
    }
}
