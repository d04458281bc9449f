package org.blockwatch.core.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.failure.ClassifiedException;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.http.BrowserHeaders;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlProtocol;
import org.blockwatch.core.control.wire.ControlRequest;

/**
 * Asks test helpers (OONI's protocol) for the control measurement of a URL. Helpers are tried in
 * order: the next one when the current one failed or has not answered within {@code perHelper}
 * (15 s by default), and none after {@code total} (30 s). A response larger than 1 MiB or not in
 * the protocol's shape counts as a failure of that helper. Thread-safe.
 */
public final class ControlClient implements Step<ControlClient.Query, ControlResult> {
    private static final long MAX_RESPONSE = 1 << 20;
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = ControlProtocol.MAPPER;

    private final List<HttpUrl> helpers;
    private final Duration perHelper;
    private final Duration total;
    private final String bearerToken;
    private final OkHttpClient http;

    /**
     * @param roots the roots a helper's certificate may chain to (the JDK's plus any lab roots)
     * @param bearerToken sent as {@code Authorization: Bearer} when not null (self-hosted helpers)
     */
    public ControlClient(List<String> helperUrls, Duration perHelper, Duration total, TrustRoots roots, String bearerToken) {
        if (helperUrls.isEmpty()) throw new IllegalArgumentException("no control helper given");
        List<HttpUrl> parsed = new ArrayList<>();
        for (String u : helperUrls) {
            HttpUrl url = HttpUrl.parse(u);
            if (url == null) throw new IllegalArgumentException("control helper '" + u + "' is not an http(s) URL");
            parsed.add(url);
        }
        this.helpers = List.copyOf(parsed);
        this.perHelper = perHelper;
        this.total = total;
        this.bearerToken = bearerToken;
        // Helpers are ordinary HTTPS servers: the JDK's name check applies, on a shared pool.
        this.http = new OkHttpClient.Builder()
                .proxy(Proxy.NO_PROXY)
                .sslSocketFactory(TlsClient.freshContext(roots.standardTrustManager()).getSocketFactory(), roots.standardTrustManager())
                .followRedirects(false)
                .build();
    }

    /** The time every helper together may take. */
    public Duration total() {
        return total;
    }

    public List<HttpUrl> helpers() {
        return helpers;
    }

    /** What to ask the control for: the target, and the endpoints ({@code ip:port}) the probe tried. */
    public record Query(TargetUrl target, List<String> endpoints) {}

    /** The control for {@code target}, with the endpoints ({@code ip:port}) the probe tried. Never throws. */
    public ControlResult query(TargetUrl target, List<String> endpoints) {
        return run(new Query(target, endpoints), StepContext.standalone(total, total, StepListener.NONE));
    }

    /** The control step: the helpers in turn until one answers; its failure is OONI's {@code control_failure}. */
    @Override
    public ControlResult run(Query query, StepContext context) {
        TargetUrl target = query.target();
        List<String> endpoints = query.endpoints();
        Scope step = context.open(StepKind.CONTROL, target.url().toString());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (List<String> h : BrowserHeaders.HEADERS) headers.put(h.get(0), List.of(h.get(1)));
        ControlRequest request = new ControlRequest(target.url().toString(), headers, endpoints, false);
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(request);
        } catch (IOException e) {
            step.fail("control_failure: cannot encode the request");
            return ControlResult.none("control_failure: cannot encode the request");
        }
        long deadline = System.nanoTime() + total.toNanos();
        String lastFailure = "control_failure: no helper answered";
        for (HttpUrl helper : helpers) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                step.fail(Failure.GENERIC_TIMEOUT);
                return ControlResult.none(Failure.GENERIC_TIMEOUT);
            }
            long timeout = Math.min(remaining, perHelper.toNanos());
            try {
                ControlResponse response = ask(helper, body, timeout);
                step.succeed();
                return new ControlResult(response, null, helper.toString());
            } catch (IOException | RuntimeException e) {
                lastFailure = FailureClassifier.classify(e); // the step ends only when no helper is left
            }
        }
        step.fail(lastFailure);
        return ControlResult.none(lastFailure);
    }

    /** What a helper said to one of blockwatch's extensions: its answer, or the failure of the last helper tried. */
    public record ExtensionAnswer<T>(T answer, String failure, String helper) {}

    /**
     * Asks the helpers in turn, within the same limits as the control step, for one of
     * blockwatch's extensions of the protocol ({@code path} beside each helper's URL, such as
     * {@link org.blockwatch.core.control.wire.StunCheck#PATH}); never throws. A helper that does
     * not serve it (OONI's) answers 404, which is its failure.
     */
    public <T> ExtensionAnswer<T> extension(String path, Object request, Class<T> type) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(request);
        } catch (IOException e) {
            return new ExtensionAnswer<>(null, "control_failure: cannot encode the request", null);
        }
        long deadline = System.nanoTime() + total.toNanos();
        String lastFailure = "control_failure: no helper answered";
        for (HttpUrl helper : helpers) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) return new ExtensionAnswer<>(null, Failure.GENERIC_TIMEOUT, null);
            HttpUrl url = helper.resolve(path);
            if (url == null) continue;
            try {
                T answer = MAPPER.readValue(post(url, body, Math.min(remaining, perHelper.toNanos())), type);
                if (answer == null) throw new MalformedControlResponse("control_failure: empty helper response");
                return new ExtensionAnswer<>(answer, null, helper.toString());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                lastFailure = "control_failure: helper response is not the " + path + " protocol";
            } catch (IOException | RuntimeException e) {
                lastFailure = FailureClassifier.classify(e);
            }
        }
        return new ExtensionAnswer<>(null, lastFailure, null);
    }

    private ControlResponse ask(HttpUrl helper, byte[] body, long timeoutNanos) throws IOException {
        ControlResponse parsed;
        try {
            parsed = MAPPER.readValue(post(helper, body, timeoutNanos), ControlResponse.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new MalformedControlResponse("control_failure: helper response is not the TH protocol");
        }
        if (parsed == null) throw new MalformedControlResponse("control_failure: empty helper response");
        return parsed.normalised();
    }

    /** POSTs {@code body} to {@code url}; the answer's bytes, at most 1 MiB, of a 200. */
    private byte[] post(HttpUrl url, byte[] body, long timeoutNanos) throws IOException {
        OkHttpClient client = http.newBuilder().callTimeout(timeoutNanos, TimeUnit.NANOSECONDS).build();
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
        if (bearerToken != null) request.header("Authorization", "Bearer " + bearerToken);
        try (Response response = client.newCall(request.build()).execute()) {
            if (response.code() != 200) throw new MalformedControlResponse("control_failure: helper answered HTTP " + response.code());
            Buffer buffer = new Buffer();
            var source = response.body().source();
            while (buffer.size() <= MAX_RESPONSE && source.read(buffer, MAX_RESPONSE + 1 - buffer.size()) != -1) {
                // read up to the limit
            }
            if (buffer.size() > MAX_RESPONSE) throw new MalformedControlResponse("control_failure: helper response over 1 MiB");
            return buffer.readByteArray();
        }
    }

    /** A helper that answered outside the protocol: its failure string is the message. */
    private static final class MalformedControlResponse extends IOException implements ClassifiedException {
        MalformedControlResponse(String message) {
            super(message);
        }

        @Override
        public String failure() {
            return getMessage();
        }
    }
}
