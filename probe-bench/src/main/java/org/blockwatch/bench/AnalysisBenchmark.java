package org.blockwatch.bench;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpBody;
import org.blockwatch.core.archival.HttpHeaders;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.TrustAnchor;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.sim.CertificateAuthority;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full analysis of one measurement with its control: an HTTPS page with a 64 KiB body, a
 * two-certificate chain, A and AAAA answers, and a control that agrees. Everything the verdict
 * does per measurement: signatures (fingerprints over body and headers, interception roots over
 * the chain, DNS), consistency, comparison, decision.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnalysisBenchmark {
    Analyzer analyzer;
    WebObservation observation;
    ControlResult control;

    @Setup
    public void setUp() throws CertificateEncodingException {
        analyzer = Analyzer.standard(Bogons.DEFAULT);
        String host = "www.azattyq.org";
        String ip = "104.18.20.15";
        CertificateAuthority root = CertificateAuthority.root("CN=Bench Root, O=blockwatch");
        CertificateAuthority intermediate = root.intermediate("CN=Bench Intermediate, O=blockwatch");
        List<PeerCertificate> chain = new ArrayList<>();
        for (X509Certificate c : intermediate.issue(host).chain()) chain.add(PeerCertificate.of(c.getEncoded()));
        byte[] body = Bodies.html(64 * 1024);
        List<List<String>> headers = List.of(List.of("Content-Type", "text/html; charset=utf-8"), List.of("Server", "cloudflare"),
                List.of("X-Site-Id", "azattyq"), List.of("Cache-Control", "max-age=60"));
        HttpTransaction request = new HttpTransaction("tcp", ip + ":443", "h2",
                new HttpTransaction.Request("GET", "https://" + host + "/", new HttpHeaders(List.of(List.of("User-Agent", "x"))), "", false),
                new HttpTransaction.Response(200, new HttpHeaders(headers), new HttpBody(body), false, "Independent news of Kazakhstan"),
                null, Map.of("connect", 0.02), 0.1, 0.3, 5);
        observation = new WebObservation("https://" + host + "/", "https://" + host + "/", Instant.EPOCH, 0.4, "192.168.1.1:53",
                List.of(new DnsQuery("udp", "192.168.1.1:53", host, "A", 0, List.of(DnsAnswer.a(ip, 300L)), null, 0, 0.02, 1),
                        new DnsQuery("udp", "192.168.1.1:53", host, "AAAA", 0, List.of(DnsAnswer.aaaa("2606:4700:0:0:0:0:6812:140f", 300L)), null, 0, 0.02, 2)),
                List.of(), null,
                List.of(new TcpConnect(ip, 443, new TcpConnect.Status(true, null, null), 0.03, 0.05, 3)),
                List.of(new TlsHandshake("tcp", ip + ":443", host, List.of("h2", "http/1.1"), "TLSv1.3", "TLS_AES_128_GCM_SHA256", "h2",
                        false, chain, new TrustAnchor("CN=Bench Root,O=blockwatch", "00"), null, 0.05, 0.09, 4)),
                List.of(request), null, null, List.of(), List.of());
        control = new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of(ip)),
                Map.of(ip + ":443", new ControlResponse.TcpConnect(true, null)),
                Map.of(ip + ":443", new ControlResponse.TlsHandshake(host, true, null)),
                new ControlResponse.HttpRequest(body.length + 120, null, "Independent news of Kazakhstan",
                        Map.of("Content-Type", "text/html", "X-Site-Id", "azattyq"), 200), Map.of()), null, "https://helper/");
        Analysis check = analyzer.analyze(observation, control);
        if (!check.verdict().status().label().equals("accessible")) throw new IllegalStateException("benchmark input is not accessible: " + check.verdict());
    }

    @Benchmark
    public Analysis analyze() {
        return analyzer.analyze(observation, control);
    }
}
