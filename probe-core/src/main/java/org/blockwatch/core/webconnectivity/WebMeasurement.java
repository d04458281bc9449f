package org.blockwatch.core.webconnectivity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.nettest.Speed;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.Verdict;

/** One Web Connectivity measurement: what the probe saw, what the control saw, the analysis. */
public record WebMeasurement(WebObservation observation, ControlResult control, Analysis analysis) implements Result {

    @Override
    public String input() {
        return observation.input();
    }

    @Override
    public Instant startTime() {
        return observation.startTime();
    }

    @Override
    public double runtimeSeconds() {
        return observation.runtimeSeconds();
    }

    @Override
    public String resolverAddress() {
        return observation.resolverAddress() == null ? "" : observation.resolverAddress();
    }

    @Override
    public Verdict verdict() {
        return analysis.verdict();
    }

    /**
     * Web Connectivity 0.4's keys: {@code client_resolver} (the resolver's egress when identified,
     * else the resolver asked), what the engine saw, the control, OONI's analysis keys. What the
     * engine saw includes the extra resolvers' lookups in {@code queries} (each with its {@code
     * engine} and {@code resolver_address}, as OONI records its DoH lookups: no key of their own)
     * and {@code x_dns_intercepted}, the interception checks of the Do53 resolvers asked, absent
     * when none of them is checked ({@link org.blockwatch.core.archival.DnsIntercepted}).
     */
    @Override
    public ObjectNode testKeys(ProbeInfo probe) {
        ObjectNode keys = MeasurementJson.mapper().createObjectNode();
        String resolverIp = MeasurementJson.resolverIp(probe, resolverAddress());
        if (resolverIp.isEmpty()) keys.putNull("client_resolver");
        else keys.put("client_resolver", resolverIp);
        keys.put("x_resolver", resolverAddress().isEmpty() ? "system" : resolverAddress());
        if (probe.resolverElsewhere()) keys.put("x_resolver_elsewhere", true);
        keys.setAll((ObjectNode) MeasurementJson.mapper().valueToTree(observation));
        keys.set("control", MeasurementJson.mapper().valueToTree(control.response()));
        keys.put("control_failure", control.failure());
        analysis.testKeys().forEach((k, v) -> keys.set(k, MeasurementJson.mapper().valueToTree(v)));
        return keys;
    }

    @Override
    public Map<String, TestHelper> testHelpers() {
        return TestHelper.backend(control.helper());
    }

    @Override
    public Reach reach() {
        return Reach.of(control.available(), observation.tcpConnect().stream().anyMatch(TcpConnect::success));
    }

    /** The last successful TLS handshake, and the final page's rate when its body is big enough to time. */
    @Override
    public Speed speed() {
        Double handshake = null;
        for (TlsHandshake h : observation.tlsHandshakes()) {
            if (h.failure() == null) handshake = h.t() - h.t0();
        }
        Double rate = null;
        HttpTransaction page = observation.finalRequest();
        Double body = page == null || page.response() == null ? null : page.timings().get("body");
        if (body != null && body > 0 && page.response().body().length() >= Speed.MIN_TIMED_BODY) rate = page.response().body().length() / body;
        return new Speed(handshake, rate);
    }

    /** Estimated from the records: the usual size of the control exchange, queries, handshakes and heads, and the bodies as read. */
    @Override
    public long bytes() {
        long bytes = 2_000; // the control request and answer
        bytes += 200L * observation.queries().size() + 200L * observation.dnsLateReplies().size();
        bytes += 150L * observation.tcpConnect().size();
        bytes += 6_000L * observation.tlsHandshakes().size();
        for (HttpTransaction t : observation.requests()) {
            bytes += 1_500; // request and response heads
            if (t.response() != null) bytes += t.response().body().length();
        }
        return bytes;
    }

    @Override
    public String summary() {
        WebObservation o = observation;
        return "dns=" + (o.dnsExperimentFailure() == null ? "ok" : o.dnsExperimentFailure())
                + " tcp=" + o.tcpConnect().stream().map(c -> c.success() ? "ok" : c.failure()).toList()
                + " tls=" + o.tlsHandshakes().stream().map(h -> h.failure() == null ? h.tlsVersion() : h.failure()).toList()
                + " http=" + (o.finalRequest() == null || o.finalRequest().response() == null ? o.httpExperimentFailure()
                        : o.finalRequest().response().code())
                + " control=" + (control.available() ? "ok" : control.failure());
    }
}
