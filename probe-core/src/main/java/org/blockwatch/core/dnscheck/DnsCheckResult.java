package org.blockwatch.core.dnscheck;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.dns.ResolverUrl;
import org.blockwatch.core.dns.Transcript;
import org.blockwatch.core.dns.WireResolver;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict;

/**
 * One resolver checked: OONI's dnscheck keys (probe-cli 0.9.3: {@code x_default_addrs},
 * {@code domain}, {@code x_tls_server_name} when set, {@code x_residual}, {@code bootstrap},
 * {@code bootstrap_failure}, {@code lookups}, each lookup a urlgetter's keys: {@code agent},
 * {@code failed_operation}, {@code failure}, {@code network_events}, {@code queries},
 * {@code requests}, {@code tcp_connect}, {@code tls_handshakes}, empty lists null as OONI writes
 * them), with blockwatch's own beside them: {@code x_domains} (every name looked up), a lookup's
 * {@code x_late_replies} (UDP responses after the first) and {@code x_sni_comparison} (the
 * handshake without the name), {@code x_identity}, {@code x_control} and
 * {@code x_control_failure}. Immutable.
 */
public record DnsCheckResult(String input, Instant startTime, double runtimeSeconds, ResolverUrl url, List<String> domains, List<DnsQuery> bootstrapQueries,
        String bootstrapFailure, List<DnsCheck.AddressLookups> lookups, DnsCheck.IdentityQuery identity, DnsCheckControl.Answer control,
        Verdict verdict) implements Result {

    public DnsCheckResult {
        domains = List.copyOf(domains);
        bootstrapQueries = bootstrapQueries == null ? null : List.copyOf(bootstrapQueries);
        lookups = List.copyOf(lookups);
    }

    @Override
    public ObjectNode testKeys(ProbeInfo probe) {
        ObjectMapper m = MeasurementJson.mapper();
        ObjectNode keys = m.createObjectNode();
        keys.put("x_default_addrs", String.join(" ", url.defaultAddrs().stream().map(InetAddress::getHostAddress).toList()));
        keys.put("domain", domains.getFirst());
        if (url.tlsServerName() != null) keys.put("x_tls_server_name", url.tlsServerName());
        keys.put("x_residual", false); // no wait between two checks of one endpoint: blockwatch's schedule spaces them
        if (bootstrapQueries == null) {
            keys.putNull("bootstrap");
        } else {
            ObjectNode b = keys.putObject("bootstrap");
            b.put("agent", "");
            b.putNull("failed_operation");
            b.putNull("failure");
            b.putNull("network_events");
            b.set("queries", m.valueToTree(bootstrapQueries));
            b.putNull("requests");
            b.putNull("tcp_connect");
            b.putNull("tls_handshakes");
        }
        keys.put("bootstrap_failure", bootstrapFailure);
        ObjectNode all = keys.putObject("lookups");
        for (DnsCheck.AddressLookups l : lookups) {
            ObjectNode o = all.putObject(l.key());
            o.put("agent", "redirect");
            WireResolver.Traced failed = l.traces().stream().filter(t -> t.lookup().failure() != null).findFirst().orElse(null);
            o.set("failed_operation", m.valueToTree(failed == null ? null : failed.failedOperation()));
            o.put("failure", failed == null ? null : failed.lookup().failure());
            Transcript t = transcript(l);
            List<DnsQuery> queries = new ArrayList<>();
            List<DnsQuery> late = new ArrayList<>();
            for (WireResolver.Traced tr : l.traces()) {
                queries.addAll(tr.lookup().queries());
                late.addAll(tr.lookup().late());
            }
            o.set("network_events", orNull(m, t.networkEvents()));
            o.set("queries", m.valueToTree(queries));
            o.set("requests", orNull(m, newestFirst(t.requests())));
            o.set("tcp_connect", orNull(m, t.tcpConnect()));
            o.set("tls_handshakes", orNull(m, t.tlsHandshakes()));
            if (!late.isEmpty()) o.set("x_late_replies", m.valueToTree(late));
            if (l.comparison() != null) {
                ObjectNode c = o.putObject("x_sni_comparison");
                c.set("tcp_connect", m.valueToTree(l.comparison().connect()));
                c.set("tls_handshake", m.valueToTree(l.comparison().handshake()));
            }
        }
        keys.set("x_domains", m.valueToTree(domains));
        if (identity == null) {
            keys.putNull("x_identity");
        } else {
            Interception.Identity i = identity.identity();
            ObjectNode o = keys.putObject("x_identity");
            o.put("query", "CH TXT " + Interception.IDENTITY_NAME);
            o.put("engine", identity.engine());
            o.put("resolver_address", identity.resolverAddress());
            o.put("expected", i.expected().pattern());
            o.put("answer", i.answered() ? i.text() : null);
            if (i.rcode() == null) o.putNull("rcode");
            else o.put("rcode", i.rcode());
            o.put("failure", i.failure());
            o.put("t0", identity.t0());
            o.put("t", identity.t());
        }
        keys.set("x_control", control.available() ? m.valueToTree(control.response()) : null);
        keys.put("x_control_failure", control.controlFailure());
        return keys;
    }

    private static Transcript transcript(DnsCheck.AddressLookups l) {
        Transcript t = Transcript.EMPTY;
        for (WireResolver.Traced tr : l.traces()) t = t.plus(tr.transcript());
        return t;
    }

    private static <T> List<T> newestFirst(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static com.fasterxml.jackson.databind.JsonNode orNull(ObjectMapper m, List<?> list) {
        return list.isEmpty() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : m.valueToTree(list);
    }

    @Override
    public Map<String, TestHelper> testHelpers() {
        return TestHelper.backend(control.helper());
    }

    @Override
    public Reach reach() {
        boolean answered = lookups.stream().flatMap(l -> l.traces().stream()).anyMatch(WireResolver.Traced::answered)
                || (identity != null && identity.identity().answered());
        return new Reach(control.available() ? Reach.Control.ANSWERED : Reach.Control.FAILED, answered);
    }

    /**
     * What the check moved, estimated from its records: each UDP query and its answer with their
     * headers, each connect's handshake packets, each TLS handshake's chain and hellos, the bytes
     * read and written with a TCP/IP header each, and the control's request and answer.
     */
    @Override
    public long bytes() {
        long bytes = bootstrapQueries == null ? 0 : 200L * bootstrapQueries.size();
        for (DnsCheck.AddressLookups l : lookups) {
            Transcript t = transcript(l);
            for (WireResolver.Traced tr : l.traces()) {
                for (DnsQuery q : tr.lookup().queries()) if (q.engine().equals("udp")) bytes += 200;
                bytes += 200L * tr.lookup().late().size();
            }
            bytes += 240L * t.tcpConnect().size(); // SYN, SYN-ACK, ACK and the FINs
            for (TlsHandshake h : t.tlsHandshakes()) bytes += handshake(h);
            for (NetworkEvent e : t.networkEvents()) if (e.numBytes() != null) bytes += e.numBytes() + 52;
            if (l.comparison() != null) bytes += 240 + (l.comparison().handshake() == null ? 0 : handshake(l.comparison().handshake()));
        }
        if (identity != null) bytes += 600;
        return bytes + (control.available() ? 1_500 : 0);
    }

    private static long handshake(TlsHandshake h) {
        long chain = 0;
        for (PeerCertificate c : h.peerCertificates()) chain += c.der().length;
        return 1_500 + chain;
    }

    @Override
    public String summary() {
        StringBuilder s = new StringBuilder("dnscheck ").append(url.text());
        if (bootstrapFailure != null) s.append(" bootstrap=").append(bootstrapFailure);
        for (DnsCheck.AddressLookups l : lookups) {
            String failure = l.traces().stream().map(t -> t.lookup().failure()).filter(f -> f != null).findFirst().orElse("ok");
            s.append(' ').append(l.key()).append('=').append(failure);
        }
        return s.append(" control=").append(control.available() ? "ok" : control.controlFailure()).toString();
    }
}
