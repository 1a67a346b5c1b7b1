package io.github.llmbridge.tracing.internal;

import io.github.llmbridge.tracing.TraceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stores of this JVM that are open, and the one shutdown hook that closes them (which
 * flushes), so a trainer that exits without {@code close()} still keeps its traces. A store
 * leaves the set when closed.
 */
final class OpenStores {

    private static final Set<TraceStore> OPEN = ConcurrentHashMap.newKeySet();
    private static boolean hookInstalled; // guarded by OpenStores.class

    private OpenStores() {}

    static void add(TraceStore store) {
        synchronized (OpenStores.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(OpenStores::closeAll, "llm-bridge-trace-shutdown"));
                hookInstalled = true;
            }
        }
        OPEN.add(store);
    }

    static void remove(TraceStore store) {
        OPEN.remove(store);
    }

    private static void closeAll() {
        List<TraceStore> stores = new ArrayList<>(OPEN);
        for (TraceStore store : stores) {
            store.close();
        }
    }
}
