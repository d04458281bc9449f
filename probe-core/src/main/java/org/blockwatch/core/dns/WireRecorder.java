package org.blockwatch.core.dns;

import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.step.Trace;

/** Collects what one exchange's transport does, as OONI's records; used by one thread, the exchange's. */
final class WireRecorder {
    private final Trace trace;
    private final long tx;
    private final List<TcpConnect> connects = new ArrayList<>();
    private final List<TlsHandshake> handshakes = new ArrayList<>();
    private final List<NetworkEvent> events = new ArrayList<>();
    private final List<HttpTransaction> requests = new ArrayList<>();
    private double last;

    WireRecorder(Trace trace, long tx) {
        this.trace = trace;
        this.tx = tx;
        this.last = trace.now();
    }

    double now() {
        return trace.now();
    }

    long tx() {
        return tx;
    }

    void connected(TcpConnect c) {
        connects.add(c);
        events.add(new NetworkEvent("connect", Endpoint.format(c.ip(), c.port()), "tcp", null, c.failure(), c.t0(), c.t(), c.transactionId()));
        last = c.t();
    }

    void handshake(TlsHandshake h) {
        handshakes.add(h);
        events.add(new NetworkEvent("tls_handshake_start", null, null, null, null, h.t0(), h.t0(), h.transactionId()));
        events.add(new NetworkEvent("tls_handshake_done", null, null, null, h.failure(), h.t0(), h.t(), h.transactionId()));
        last = h.t();
    }

    void wrote(int bytes) {
        double t = now();
        events.add(new NetworkEvent("write", null, null, (long) bytes, null, last, t, tx));
        last = t;
    }

    void read(int bytes) {
        double t = now();
        events.add(new NetworkEvent("read", null, null, (long) bytes, null, last, t, tx));
        last = t;
    }

    /** A read or write that failed. */
    void failed(String operation, String failure) {
        double t = now();
        events.add(new NetworkEvent(operation, null, null, null, failure, last, t, tx));
        last = t;
    }

    void request(HttpTransaction t) {
        requests.add(t);
    }

    Transcript transcript() {
        return new Transcript(connects, handshakes, events, requests);
    }
}
