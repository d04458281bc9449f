package org.blockwatch.helper.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A request's body, read whole up to a limit, on the handler's (virtual) thread: a declared
 * {@code Content-Length} over the limit is refused at once (413, before a byte of the body is
 * read); the body must arrive at the server's minimum rate (408 otherwise); {@code gzip} and
 * {@code deflate} are decoded, to the same limit; any other encoding is refused (415), and a body
 * that is not what its encoding says is a 400.
 */
public final class RequestBody {
    /** What reading gave: the bytes, or the refusal to answer. */
    public sealed interface Outcome permits Bytes, Refusal {}

    public record Bytes(byte[] data) implements Outcome {}

    /** {@code close}: the connection cannot be used again (the body was not read to its end). */
    public record Refusal(int status, String message, boolean close) implements Outcome {}

    private RequestBody() {}

    /** The body's size as declared, or -1 when not declared (chunked). */
    public static long declared(Request request) {
        return request.getLength();
    }

    public static Outcome read(Request request, int limit, ServerLimits limits) throws InterruptedException {
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        String coding = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
        if (!coding.equals("identity") && !coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("deflate")) {
            return new Refusal(415, "Content-Encoding '" + clip(encoding) + "' is not supported: gzip, deflate or none", true);
        }
        long length = declared(request);
        if (length > limit) return tooLarge(limit);
        long expected = length >= 0 ? length : limit;
        long deadline = System.nanoTime() + limits.headTimeout().toNanos()
                + TimeUnit.SECONDS.toNanos(expected / Math.max(1, limits.minBodyBytesPerSecond()));
        ByteArrayOutputStream raw = new ByteArrayOutputStream((int) Math.min(Math.max(length, 0), 64 * 1024));
        while (true) {
            Content.Chunk chunk;
            try {
                chunk = next(request, deadline);
            } catch (TimeoutException e) {
                return new Refusal(408, "the body came too slowly (at least " + limits.minBodyBytesPerSecond() + " bytes/s)", true);
            }
            try {
                if (Content.Chunk.isFailure(chunk)) return new Refusal(400, "the body could not be read: " + chunk.getFailure().getClass().getSimpleName(), true);
                var buffer = chunk.getByteBuffer();
                if (raw.size() + buffer.remaining() > limit) return tooLarge(limit);
                byte[] part = new byte[buffer.remaining()];
                buffer.get(part);
                raw.write(part, 0, part.length);
                if (chunk.isLast()) break;
            } finally {
                chunk.release();
            }
        }
        return switch (coding) {
            case "gzip", "x-gzip" -> decode(raw.toByteArray(), limit, "gzip", true);
            case "deflate" -> decode(raw.toByteArray(), limit, "deflate", false);
            default -> new Bytes(raw.toByteArray());
        };
    }

    private static Refusal tooLarge(int limit) {
        return new Refusal(413, "a request body is at most " + limit + " bytes", true);
    }

    private static Outcome decode(byte[] data, int limit, String name, boolean gzip) {
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(data)) : new InflaterInputStream(new ByteArrayInputStream(data))) {
            byte[] decoded = in.readNBytes(limit + 1);
            return decoded.length > limit ? tooLarge(limit) : new Bytes(decoded);
        } catch (IOException e) {
            return new Refusal(400, "the body is not valid " + name + " (Content-Encoding: " + name + ")", false);
        }
    }

    /** The next chunk, waiting for it no later than {@code deadline}. */
    private static Content.Chunk next(Request request, long deadline) throws TimeoutException, InterruptedException {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk != null) return chunk;
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new TimeoutException();
            CompletableFuture<Void> readable = new CompletableFuture<>();
            request.demand(() -> readable.complete(null));
            try {
                readable.get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Answers a refusal. A 413 is sent at once; then what is left of the body is read and dropped
     * (up to four times the limit, for at most the head timeout), so that a client still sending
     * reads the 413 rather than a reset; then the connection is closed.
     */
    public static void refuse(Request request, Response response, Callback callback, Refusal refusal, int limit, ServerLimits limits) {
        if (refusal.close()) Replies.closing(response);
        if (refusal.status() == 415) response.getHeaders().put(HttpHeader.ACCEPT_ENCODING, "gzip, deflate");
        if (refusal.status() != 413) {
            Replies.error(response, callback, refusal.status(), refusal.message());
            return;
        }
        Callback.Completable sent = new Callback.Completable();
        Replies.error(response, sent, refusal.status(), refusal.message());
        try {
            sent.get(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
            drain(request, 4L * limit, System.nanoTime() + limits.headTimeout().toNanos());
            callback.succeeded();
        } catch (Exception e) {
            callback.failed(e);
        }
    }

    private static void drain(Request request, long most, long deadline) {
        long read = 0;
        try {
            while (read < most) {
                Content.Chunk chunk = next(request, deadline);
                try {
                    if (Content.Chunk.isFailure(chunk)) return;
                    read += chunk.remaining();
                    if (chunk.isLast()) return;
                } finally {
                    chunk.release();
                }
            }
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            // enough: the connection is closed after the answer anyway
        }
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
