package org.blockwatch.core.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.blockwatch.core.archival.HttpBody;
import org.blockwatch.core.archival.HttpHeaders;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.tls.RecordingTrustManager;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.step.Timeouts;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.Trace;
import org.blockwatch.core.tcp.RememberingSocketFactory;
import org.blockwatch.core.ip.Endpoint;

/**
 * One GET through OkHttp, pinned to one address while Host and SNI stay the URL's name. No
 * connection is reused, nothing is retried and no redirect is followed: the engine walks
 * redirects itself so that each hop is recorded. Thread-safe.
 */
public final class HttpFetcher implements Step<HttpFetcher.Input, HttpFetcher.Fetch> {
    /** OkHttp's limit on a response head (status line and headers), in bytes. */
    static final long HEAD_LIMIT = 256 * 1024;
    private final OkHttpClient base;
    private final TlsClient tls;
    private final javax.net.SocketFactory sockets;

    public HttpFetcher(TlsClient tls, javax.net.SocketFactory sockets) {
        this.tls = tls;
        this.sockets = sockets;
        this.base = new OkHttpClient.Builder()
                .proxy(Proxy.NO_PROXY) // each fetch gets its own socket factory (RememberingSocketFactory)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .fastFallback(false)
                .build();
    }

    /** What one fetch produced: the record and the events the call emitted. */
    public record Fetch(HttpTransaction transaction, List<NetworkEvent> events) {}

    /**
     * Fetches {@code url} from {@code address}. Never throws: a failure is recorded, and a failure
     * while reading the body keeps the response head and what arrived of the body.
     */
    public record Input(HttpUrl url, InetAddress address, SessionCookies cookies, long bodyLimit, String method, String body) {
        /** A GET, as a browser sends it. */
        public Input(HttpUrl url, InetAddress address, SessionCookies cookies, long bodyLimit) {
            this(url, address, cookies, bodyLimit, "GET", null);
        }

        public Input {
            if (!method.equals("GET") && !method.equals("POST")) throw new IllegalArgumentException("only GET and POST are sent: " + method);
            if (method.equals("GET") && body != null) throw new IllegalArgumentException("a GET carries no body");
        }
    }

    @Override
    public Fetch run(Input in, StepContext context) {
        HttpUrl url = in.url();
        InetAddress address = in.address();
        long bodyLimit = in.bodyLimit();
        Duration timeout = context.timeout();
        Trace trace = context.trace();
        Scope step = context.open(StepKind.HTTP_RESPONSE, url.toString());
        long tx = step.tx();
        RecordingEventListener listener = new RecordingEventListener(trace, tx);
        RecordingTrustManager trust = tls.trustManagerFor(url.host());
        SSLContext sslContext = TlsClient.freshContext(trust);
        RememberingSocketFactory remembered = new RememberingSocketFactory(sockets);
        OkHttpClient client = base.newBuilder()
                .socketFactory(remembered)
                .dns(host -> List.of(address))
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.MILLISECONDS))
                .sslSocketFactory(sslContext.getSocketFactory(), trust)
                .hostnameVerifier((host, session) -> true) // RecordingTrustManager has checked the name
                .cookieJar(in.cookies())
                .eventListener(listener)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(Timeouts.httpCall(timeout))
                .build();
        // A POST carries what the app's own request does (Telegram's data centres answer one on port 80).
        Request.Builder builder = in.body() == null ? new Request.Builder().url(url).get()
                : new Request.Builder().url(url).post(okhttp3.RequestBody.create(in.body(), null));
        for (List<String> h : BrowserHeaders.HEADERS) builder.header(h.get(0), h.get(1));
        Request request = builder.build();
        String pinned = new Endpoint(address, url.port()).toString();

        double t0 = step.t0();
        HttpTransaction.Request sentRecord = requestRecord(request, request.headers(), in.body());
        HttpTransaction.Response response = null;
        String failure = null;
        String alpn = "";
        double bodySeconds = -1;
        Call call = client.newCall(request);
        try (Response r = call.execute()) {
            Response network = r.networkResponse() != null ? r.networkResponse() : r;
            sentRecord = requestRecord(request, network.request().headers(), in.body());
            alpn = r.protocol().toString();
            Buffer body = new Buffer();
            boolean truncated = false;
            double readStart = trace.now();
            try {
                truncated = readUpTo(r.body(), body, bodyLimit);
                // Closing a body not read to its end, OkHttp reads on for up to 100 ms to reuse the
                // connection: megabytes on a fast line, thrown away. The connection goes instead.
                if (truncated) call.cancel();
            } catch (IOException e) {
                failure = step.fail(e);
            }
            // OkHttp reports the body's end only when it is read to the end; a body cut at the limit is timed here.
            bodySeconds = trace.now() - readStart;
            byte[] bytes = body.readByteArray(Math.min(body.size(), bodyLimit));
            PageCharset charset = PageCharset.of(network.header("Content-Type"), bytes);
            response = new HttpTransaction.Response(r.code(), headers(network.headers()), new HttpBody(bytes), truncated,
                    HtmlTitle.extract(bytes, charset), charset.charset().name());
        } catch (IOException | RuntimeException e) {
            failure = FailureClassifier.classify(e);
            // OkHttp ends a head over its limit with the same EOF as a peer that closed: the bytes tell.
            if (Failure.EOF.equals(failure) && remembered.received() > HEAD_LIMIT) failure = Failure.HTTP_HEADERS_TOO_LARGE;
            step.fail(failure);
        } finally {
            client.connectionPool().evictAll();
        }
        java.util.Map<String, Double> timings = listener.timings();
        if (bodySeconds >= 0) timings.putIfAbsent("body", Math.round(bodySeconds * 1_000_000) / 1_000_000.0);
        step.succeed(); // when no failure ended it above
        HttpTransaction transaction = new HttpTransaction("tcp", pinned, alpn, sentRecord, response, failure,
                timings, t0, step.t(), tx);
        return new Fetch(transaction, listener.events());
    }

    /** Reads at most {@code limit} bytes into {@code sink}; true when the body was longer. */
    private static boolean readUpTo(ResponseBody body, Buffer sink, long limit) throws IOException {
        BufferedSource source = body.source();
        // One byte past the limit proves truncation; the caller keeps the first {@code limit}.
        while (sink.size() <= limit) {
            if (source.read(sink, limit + 1 - sink.size()) == -1) return false;
        }
        return true;
    }

    private static HttpTransaction.Request requestRecord(Request request, Headers sent, String body) {
        return new HttpTransaction.Request(request.method(), request.url().toString(), headers(sent), body == null ? "" : body, false);
    }

    private static HttpHeaders headers(Headers headers) {
        List<List<String>> list = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i++) list.add(List.of(headers.name(i), headers.value(i)));
        return new HttpHeaders(list);
    }
}
