package org.blockwatch.core.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.step.Trace;
import org.blockwatch.core.ip.Endpoint;

/**
 * Turns OkHttp's call events into network events and per-phase timings. One instance per call;
 * OkHttp calls it from the thread executing the call, and it never throws.
 */
final class RecordingEventListener extends EventListener {
    private final Trace trace;
    private final long tx;
    private final List<NetworkEvent> events = new ArrayList<>();
    private final Map<String, Double> starts = new LinkedHashMap<>();
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private String address;

    RecordingEventListener(Trace trace, long tx) {
        this.trace = trace;
        this.tx = tx;
    }

    synchronized List<NetworkEvent> events() {
        return List.copyOf(events);
    }

    /** Seconds spent in each phase that completed: connect, tls_handshake, request, ttfb, body. */
    synchronized Map<String, Double> timings() {
        return new LinkedHashMap<>(timings);
    }

    private synchronized void start(String phase) {
        starts.put(phase, trace.now());
    }

    private synchronized void end(String phase, String operation, Long bytes, String failure) {
        double t = trace.now();
        Double t0 = starts.remove(phase);
        if (t0 == null) t0 = t;
        if (failure == null) timings.put(phase, Math.round((t - t0) * 1_000_000) / 1_000_000.0);
        events.add(new NetworkEvent(operation, address, "tcp", bytes, failure, t0, t, tx));
    }

    @Override
    public void connectStart(Call call, InetSocketAddress socketAddress, Proxy proxy) {
        synchronized (this) {
            address = Endpoint.of(socketAddress).toString();
        }
        start("connect");
    }

    @Override
    public void connectEnd(Call call, InetSocketAddress socketAddress, Proxy proxy, Protocol protocol) {
        end("connect", "connect", null, null);
    }

    @Override
    public void connectFailed(Call call, InetSocketAddress socketAddress, Proxy proxy, Protocol protocol, IOException ioe) {
        end("connect", "connect", null, FailureClassifier.classify(ioe));
    }

    @Override
    public void secureConnectStart(Call call) {
        start("tls_handshake");
    }

    @Override
    public void secureConnectEnd(Call call, Handshake handshake) {
        end("tls_handshake", "tls_handshake_done", null, null);
    }

    @Override
    public void requestHeadersStart(Call call) {
        start("request");
        start("ttfb");
    }

    @Override
    public void requestHeadersEnd(Call call, Request request) {
        end("request", "http_request_metadata", null, null);
    }

    @Override
    public void requestFailed(Call call, IOException ioe) {
        end("request", "http_request_metadata", null, FailureClassifier.classify(ioe));
    }

    @Override
    public void responseHeadersEnd(Call call, Response response) {
        end("ttfb", "http_response_metadata", null, null);
    }

    @Override
    public void responseBodyStart(Call call) {
        start("body");
    }

    @Override
    public void responseBodyEnd(Call call, long byteCount) {
        end("body", "http_response_body", byteCount, null);
    }

    @Override
    public void responseFailed(Call call, IOException ioe) {
        String failure = FailureClassifier.classify(ioe);
        synchronized (this) {
            if (starts.containsKey("body")) {
                end("body", "http_response_body", null, failure);
            } else {
                end("ttfb", "http_response_metadata", null, failure);
            }
        }
    }
}
