package org.blockwatch.core.webconnectivity;

import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.HttpComparison;
import org.blockwatch.core.verdict.Analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.nettest.BoundedParallel;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.nettest.Result;

/**
 * The Web Connectivity test (OONI's ts-017): measure the URL, ask the control for the same steps,
 * decide. The data flows one way: engine, then control, then analysis. Thread-safe.
 */
public final class WebConnectivity implements Nettest {
    public static final String TEST_NAME = "web_connectivity";
    /**
     * The Web Connectivity version whose test_keys every record carries: the classic layout of
     * probe-cli's 0.4.3 (agent, retries, socksproxy, dns_consistency, body_length_match, ...
     * blocking, accessible, x_status and the x_*_runtime keys). 0.5's x_dns_flags,
     * x_blocking_flags and x_null_null_flags are not computed, so 0.5 is not claimed.
     */
    public static final String TEST_VERSION = "0.4.3";

    private final WebEngine engine;
    private final ControlClient control; // null: no control
    private final Analyzer analyzer;

    public WebConnectivity(WebEngine engine, ControlClient control, Analyzer analyzer) {
        this.engine = engine;
        this.control = control;
        this.analyzer = analyzer;
    }

    /** A Web Connectivity measurement of these parts (the tests' and the benchmarks' way to make one). */
    public static Measurement measurement(WebObservation observation, ControlResult control, Analysis analysis) {
        return new Measurement(TEST_NAME, TEST_VERSION, new WebMeasurement(observation, control, analysis));
    }

    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.URL);

    @Override
    public Name name() {
        return NAME;
    }

    @Override
    public void check(String input) {
        TargetUrl.parse(input);
    }

    @Override
    public Result measure(String input) {
        return measure(TargetUrl.parse(input));
    }

    /**
     * Measures one URL. An error inside the measurement (a bug) still gives the URL a measurement:
     * one that says so ({@code unknown_failure: ...}), to be stored and counted, never silence.
     */
    public WebMeasurement measure(TargetUrl target) {
        java.time.Instant start = java.time.Instant.now();
        WebObservation observation;
        try {
            observation = engine.measure(target);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            String failure = Failure.unknown(cause.toString());
            WebObservation failed = WebObservation.failed(target.input(), target.url().toString(), start,
                    java.time.Duration.between(start, java.time.Instant.now()).toNanos() / 1e9, failure);
            return new WebMeasurement(failed, ControlResult.none(null), new Analysis(null, new HttpComparison(null, null, null, null, null),
                    new Verdict(Verdict.Status.INCONCLUSIVE, null, List.of(), "The measurement could not be made (" + failure + ").")));
        }
        long controlStart = System.nanoTime();
        ControlResult controlResult = control == null ? ControlResult.none(null)
                : control.run(new ControlClient.Query(target, endpoints(target, observation)),
                        StepContext.standalone(control.total(), control.total(), engine.config().listener()));
        java.time.Duration controlRuntime = control == null ? java.time.Duration.ZERO : java.time.Duration.ofNanos(System.nanoTime() - controlStart);
        return new WebMeasurement(observation, controlResult, analyzer.analyze(observation, controlResult), controlRuntime);
    }

    /** Measures many URLs, at most the engine's parallelism at once, handing each result to {@code sink} in turn. */
    public void measureAll(List<TargetUrl> targets, Consumer<WebMeasurement> sink) throws InterruptedException {
        BoundedParallel.forEach(targets, engine.config().parallelism(), this::measure, sink);
    }

    /**
     * The endpoints the control should try: each address the probe resolved for the target host,
     * on the URL's port when it has an explicit one, otherwise on 80 and 443 (as OONI's probes do).
     */
    static List<String> endpoints(TargetUrl target, WebObservation observation) {
        HttpUrl url = target.url();
        Set<String> addresses = new LinkedHashSet<>();
        for (DnsQuery q : observation.queries()) {
            if (q.hostname().equalsIgnoreCase(url.host())) addresses.addAll(q.addresses());
        }
        for (DnsQuery q : observation.dnsLateReplies()) {
            if (q.hostname().equalsIgnoreCase(url.host())) addresses.addAll(q.addresses());
        }
        IpLiteral.parse(url.host()).ifPresent(ip -> addresses.add(ip.getHostAddress()));
        boolean defaultPort = url.port() == HttpUrl.defaultPort(url.scheme());
        List<String> out = new ArrayList<>();
        for (String a : addresses) {
            if (defaultPort) {
                out.add(Endpoint.format(a, 443));
                out.add(Endpoint.format(a, 80));
            } else {
                out.add(Endpoint.format(a, url.port()));
            }
        }
        return out;
    }
}
