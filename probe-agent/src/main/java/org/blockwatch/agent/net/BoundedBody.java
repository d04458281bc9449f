package org.blockwatch.agent.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An answer read to a bound and within a deadline, with the JDK's client: whatever answers (a
 * receiver, a list's host, anything in their place) can neither make the agent hold more than
 * {@code limit} bytes of a body (past it the body is cut and the connection dropped, not read
 * to its end) nor stall it with a body that trickles (the request's own timeout covers the
 * response's head only; the deadline covers the whole exchange, its body too).
 */
public final class BoundedBody {
    private BoundedBody() {}

    /**
     * At most {@code limit} bytes of a body; {@code truncated} when there was more (the rest was
     * not read).
     */
    public record Body(byte[] bytes, boolean truncated) {
        public String utf8() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code request} and reads at most {@code limit} bytes of its answer's body, the whole
     * within {@code deadline}.
     *
     * @throws HttpTimeoutException when the exchange, its body included, outlasts the deadline
     */
    public static HttpResponse<Body> send(HttpClient http, HttpRequest request, int limit, Duration deadline)
            throws IOException, InterruptedException {
        AtomicReference<Reader> reader = new AtomicReference<>();
        CompletableFuture<HttpResponse<Body>> exchange = http.sendAsync(request, info -> {
            Reader r = new Reader(limit);
            reader.set(r);
            return r;
        });
        try {
            return exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(exchange, reader.get());
            throw new HttpTimeoutException("no whole answer within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            abandon(exchange, reader.get());
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            throw new IOException(cause);
        }
    }

    private static void abandon(CompletableFuture<?> exchange, Reader reader) {
        if (reader != null) reader.cancel();
        exchange.cancel(true);
    }

    /** Collects up to the limit, then cancels the subscription (the connection is closed, not drained). */
    private static final class Reader implements HttpResponse.BodySubscriber<Body> {
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<Body> body = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private boolean cancelled;

        Reader(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) s.cancel();
            else s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            Flow.Subscription s;
            synchronized (this) {
                if (body.isDone()) return;
                for (ByteBuffer b : items) {
                    int room = limit - out.size();
                    if (b.remaining() > room) {
                        byte[] part = new byte[room];
                        b.get(part);
                        out.write(part, 0, part.length);
                        body.complete(new Body(out.toByteArray(), true));
                        subscription.cancel();
                        return;
                    }
                    byte[] all = new byte[b.remaining()];
                    b.get(all);
                    out.write(all, 0, all.length);
                }
                s = subscription;
            }
            s.request(1);
        }

        @Override
        public synchronized void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            body.complete(new Body(out.toByteArray(), false));
        }

        @Override
        public CompletionStage<Body> getBody() {
            return body;
        }

        synchronized void cancel() {
            cancelled = true;
            if (subscription != null) subscription.cancel();
            body.completeExceptionally(new InterruptedIOException("abandoned"));
        }
    }
}
