package io.github.llmbridge.rllm;

import io.github.llmbridge.core.contract.BackendFromEnvContract;

/** The shared contract {@link BackendFromEnvContract}, run against the gateway. */
class RllmFromEnvTest extends BackendFromEnvContract {
    RllmFromEnvTest() {
        super(new RllmFixture());
    }
}
