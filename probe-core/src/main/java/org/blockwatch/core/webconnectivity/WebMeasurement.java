package org.blockwatch.core.webconnectivity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

/**
 * One Web Connectivity measurement: what the probe saw, what the control saw (and how long asking
 * the control took, zero when it was not asked), the analysis.
 */
public record WebMeasurement(WebObservation observation, ControlResult control, Analysis analysis, Duration controlRuntime) implements Result {

    /** A measurement whose control took no time that was measured (the tests' and the benchmarks' way to make one). */
    public WebMeasurement(WebObservation observation, ControlResult control, Analysis analysis) {
        this(observation, control, analysis, Duration.ZERO);
    }

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
     * Web Connectivity 0.4's keys, every key OONI's own 0.4.3 records carry (probe-cli's
     * internal/experiment/webconnectivity TestKeys): {@code agent} ("redirect": redirects are
     * followed), {@code client_resolver} (the resolver's egress when identified, else the resolver
     * asked), {@code retries} and {@code socksproxy} (null, as OONI has them), what the engine saw,
     * the control, OONI's analysis keys, {@code x_status} ({@link XStatus}) and the runtimes in
     * nanoseconds ({@code x_dns_runtime}, {@code x_tcptls_runtime}, {@code x_http_runtime}: from the
     * first start to the last end of the steps of each kind; {@code x_th_runtime}: asking the
     * control). What the
     * engine saw includes the extra resolvers' lookups in {@code queries} (each with its {@code
     * engine} and {@code resolver_address}, as OONI records its DoH lookups: no key of their own)
     * and {@code x_dns_intercepted}, the interception checks of the Do53 resolvers asked, absent
     * when none of them is checked ({@link org.blockwatch.core.archival.DnsIntercepted}).
     */
    @Override
    public ObjectNode testKeys(ProbeInfo probe) {
        ObjectNode keys = MeasurementJson.mapper().createObjectNode();
        keys.put("agent", "redirect");
        String resolverIp = MeasurementJson.resolverIp(probe, resolverAddress());
        if (resolverIp.isEmpty()) keys.putNull("client_resolver");
        else keys.put("client_resolver", resolverIp);
        keys.putNull("retries");
        keys.putNull("socksproxy");
        keys.put("x_resolver", resolverAddress().isEmpty() ? "system" : resolverAddress());
        if (probe.resolverElsewhere()) keys.put("x_resolver_elsewhere", true);
        keys.setAll((ObjectNode) MeasurementJson.mapper().valueToTree(observation));
        keys.set("control", MeasurementJson.mapper().valueToTree(control.response()));
        keys.put("control_failure", control.failure());
        analysis.testKeys().forEach((k, v) -> keys.set(k, MeasurementJson.mapper().valueToTree(v)));
        keys.put("x_status", XStatus.of(keys));
        keys.put("x_dns_runtime", nanos(span(observation.queries().stream().map(q -> new double[] {q.t0(), q.t()}).toList())));
        List<double[]> tcpTls = new ArrayList<>();
        observation.tcpConnect().forEach(c -> tcpTls.add(new double[] {c.t0(), c.t()}));
        observation.tlsHandshakes().forEach(h -> tcpTls.add(new double[] {h.t0(), h.t()}));
        keys.put("x_tcptls_runtime", nanos(span(tcpTls)));
        keys.put("x_http_runtime", nanos(span(observation.requests().stream().map(r -> new double[] {r.t0(), r.t()}).toList())));
        keys.put("x_th_runtime", controlRuntime.toNanos());
        return keys;
    }

    /** Seconds from the first start to the last end of these steps ({t0, t} each), 0 for none. */
    private static double span(List<double[]> steps) {
        double first = Double.MAX_VALUE;
        double last = 0;
        for (double[] s : steps) {
            first = Math.min(first, s[0]);
            last = Math.max(last, s[1]);
        }
        return steps.isEmpty() ? 0 : Math.max(0, last - first);
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
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
