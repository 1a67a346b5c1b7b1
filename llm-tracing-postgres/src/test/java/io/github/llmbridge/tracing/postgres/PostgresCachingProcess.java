package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.tracing.TracingChatClient;
import io.github.llmbridge.tracing.cache.CacheScope;
import io.github.llmbridge.tracing.cache.CachingChatClient;
import io.github.llmbridge.tracing.contract.FakeChatClient;

/**
 * A separate JVM for {@link PostgresCacheTest}: a worker with the cache on, tracing to the shared
 * database, that asks the judge one deterministic question and prints who answered. Arguments:
 * URL, question.
 */
public final class PostgresCachingProcess {

    private PostgresCachingProcess() {}

    /** Runs the worker; see the class comment. */
    public static void main(String[] args) {
        try (PostgresTraceStore store = PostgresTraceStore.open(args[0]);
                ChatClient judge = TracingChatClient.wrap(
                        CachingChatClient.cache(FakeChatClient.answering(), store, CacheScope.DETERMINISTIC, null),
                        store)) {
            ChatResponse reply = judge.chat(PostgresCacheTest.question(args[1]));
            System.out.println("answered by " + reply.backend() + ": " + reply.content());
        }
    }
}
