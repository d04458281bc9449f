package org.blockwatch.core.dns;

import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;

/**
 * What a query's transport recorded besides the query itself, under OONI's names: the connects
 * ({@code tcp_connect}), the handshakes ({@code tls_handshakes}), the reads and writes
 * ({@code network_events}) and DoH's round trips ({@code requests}). Empty for UDP.
 */
public record Transcript(List<TcpConnect> tcpConnect, List<TlsHandshake> tlsHandshakes, List<NetworkEvent> networkEvents,
        List<HttpTransaction> requests) {
    public static final Transcript EMPTY = new Transcript(List.of(), List.of(), List.of(), List.of());

    public Transcript {
        tcpConnect = List.copyOf(tcpConnect);
        tlsHandshakes = List.copyOf(tlsHandshakes);
        networkEvents = List.copyOf(networkEvents);
        requests = List.copyOf(requests);
    }

    /** This transcript followed by {@code other}'s records. */
    public Transcript plus(Transcript other) {
        return new Transcript(concat(tcpConnect, other.tcpConnect), concat(tlsHandshakes, other.tlsHandshakes),
                concat(networkEvents, other.networkEvents), concat(requests, other.requests));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (b.isEmpty()) return a;
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
