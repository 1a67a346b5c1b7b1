package io.github.llmbridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AbandonableFutureTest {

    private final List<String> events = new ArrayList<>();
    private final AbandonableFuture<String> future = new AbandonableFuture<>(() -> events.add("hook"));

    @Test
    void theOwnerSettlingDoesNotRunTheHookAndLaterCompletionsLose() {
        assertThat(future.settle("owner")).isTrue();
        assertThat(future.complete("caller")).isFalse();
        assertThat(future.cancel(true)).isFalse();
        assertThat(future.join()).isEqualTo("owner");
        assertThat(events).isEmpty();
        assertThat(future.isAbandoned()).isFalse();
    }

    @Test
    // the stages are registered only to record the order they run in.
    @SuppressWarnings("FutureReturnValueIgnored")
    void someoneElseCompletingRunsTheHookOnceBeforeAnyDependentStage() {
        future.whenComplete((v, e) -> events.add("stage registered first"));
        future.whenComplete((v, e) -> events.add("stage registered last"));

        assertThat(future.complete("caller")).isTrue();
        assertThat(future.settle("owner")).isFalse();
        assertThat(future.completeExceptionally(new RuntimeException())).isFalse();

        assertThat(events.get(0)).isEqualTo("hook");
        assertThat(events).containsExactlyInAnyOrder("hook", "stage registered first", "stage registered last");
        assertThat(future.join()).isEqualTo("caller");
        assertThat(future.isAbandoned()).isTrue();
    }

    @Test
    // completeOnTimeout returns the future itself, which the test reads through timedOut.
    @SuppressWarnings("FutureReturnValueIgnored")
    void cancelAndCallerTimeoutsAbandonToo() throws Exception {
        AbandonableFuture<String> cancelled = new AbandonableFuture<>(() -> events.add("cancel hook"));
        assertThat(cancelled.cancel(true)).isTrue();
        assertThat(cancelled).isCancelled();

        AbandonableFuture<String> timedOut = new AbandonableFuture<>(() -> events.add("timeout hook"));
        timedOut.completeOnTimeout("fallback", 10, TimeUnit.MILLISECONDS);
        assertThat(timedOut.get(5, TimeUnit.SECONDS)).isEqualTo("fallback");

        assertThat(events).containsExactly("cancel hook", "timeout hook");
    }

    @Test
    void dependentStagesArePlainFutures() {
        assertThat(future.thenApply(String::length).getClass()).isEqualTo(java.util.concurrent.CompletableFuture.class);
    }
}
