package io.github.llmbridge.core.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands a backend the id of the attempt it is sending, so the id is known before anything
 * reaches the wire: the resilience layer {@linkplain #offer offers} one around each call of its
 * backend, and a backend that sends an id its server logs (LiteLLM's {@code x-litellm-call-id})
 * {@linkplain #take takes} it on the calling thread, inside its {@code chatAsync}. The resilience
 * layer then records the id on the attempt, so an attempt that never got an answer (cut off by
 * the deadline, a reset connection) can still be found in the server's logs. A backend called
 * outside the resilience layer gets a fresh id.
 */
public final class AttemptIds {

    private static final ThreadLocal<Offer> CURRENT = new ThreadLocal<>();

    private AttemptIds() {}

    /** An id offered to the backend called inside it; close it when the backend has returned. */
    public static final class Offer implements AutoCloseable {
        private final Offer outer;
        private String id; // made when taken: a backend that sends no id costs nothing

        private Offer(Offer outer) {
            this.outer = outer;
        }

        /** Returns the id if the backend took it, else {@code null}. */
        public String takenId() {
            return id;
        }

        /** Withdraws the offer from this thread. */
        @Override
        public void close() {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** Offers a fresh id to the backend called on this thread until the returned offer is closed. */
    public static Offer offer() {
        Offer offer = new Offer(CURRENT.get());
        CURRENT.set(offer);
        return offer;
    }

    /** Returns the id offered on this thread, marking it taken, or a fresh id when none is offered. */
    public static String take() {
        Offer offer = CURRENT.get();
        if (offer == null) {
            return fresh();
        }
        if (offer.id == null) {
            offer.id = fresh();
        }
        return offer.id;
    }

    /**
     * A random (version 4) UUID from the thread's {@code ThreadLocalRandom}: an id to find a call
     * by in a server's logs needs to be unique, not unpredictable, and {@code UUID.randomUUID()}
     * draws from {@code SecureRandom}, which costs more than the rest of a call's bookkeeping.
     */
    private static String fresh() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
