package io.github.llmbridge.core.internal.transport;

import io.github.llmbridge.core.internal.errors.ResponseTooLargeException;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a reply body into a byte array, failing with {@link ResponseTooLargeException} as soon
 * as it passes the limit (or at once when {@code Content-Length} already says it will), so a
 * runaway reply cannot exhaust the heap of a trainer running thousands of calls.
 */
final class CappedBodyHandler implements HttpResponse.BodyHandler<byte[]> {

    private final long limitBytes;

    CappedBodyHandler(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        return new Subscriber(limitBytes, declared > limitBytes);
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final long limitBytes;
        private final boolean failAtOnce;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Subscriber(long limitBytes, boolean failAtOnce) {
            this.limitBytes = limitBytes;
            this.failAtOnce = failAtOnce;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (failAtOnce) {
                subscription.cancel();
                result.completeExceptionally(new ResponseTooLargeException(limitBytes));
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + (long) item.remaining() > limitBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLargeException(limitBytes));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
