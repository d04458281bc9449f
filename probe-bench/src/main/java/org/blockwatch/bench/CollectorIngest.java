package org.blockwatch.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's sustained ingest, not a JMH benchmark: {@code N} realistic Web Connectivity
 * measurements of 20 to 60 KB (a page body, headers, DNS and TLS records) submitted to a running
 * collector by {@code C} concurrent probes, each with its own reports; prints measurements per
 * second and megabytes per second. Run by {@code scripts/bench-collector.sh}.
 *
 * <pre>java -cp probe-bench/target/benchmarks.jar org.blockwatch.bench.CollectorIngest URL N C</pre>
 */
public final class CollectorIngest {

    private CollectorIngest() {}

    public static void main(String[] args) throws Exception {
        String url = args[0].endsWith("/") ? args[0] : args[0] + "/";
        int n = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
        Random random = new Random(42);
        // Pages made and escaped before the clock starts: the collector is measured, not the generator.
        List<byte[]> pages = new ArrayList<>();
        for (int i = 0; i < 64; i++) pages.add(escaped(page(20_000 + random.nextInt(40_000), random)).getBytes(StandardCharsets.UTF_8));
        String[] reports = new String[concurrency];
        for (int p = 0; p < concurrency; p++) {
            String open = "{\"data_format_version\":\"0.2.0\",\"format\":\"json\",\"probe_asn\":\"AS" + (64500 + p) + "\",\"probe_cc\":\"KZ\","
                    + "\"software_name\":\"blockwatch\",\"software_version\":\"bench\",\"test_name\":\"web_connectivity\",\"test_version\":\"0.4.3\"}";
            HttpResponse<String> r = http.send(post(url + "report", open), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("opening a report: " + r.statusCode() + " " + r.body());
            reports[p] = r.body().replaceAll(".*\"report_id\":\"([^\"]+)\".*", "$1");
        }
        AtomicLong bytes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        URI base = URI.create(url);
        long start = System.nanoTime();
        // One keep-alive connection per probe, written by hand: the generator stays cheap beside the collector on one machine.
        try (ExecutorService threads = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> all = new ArrayList<>();
            for (int p0 = 0; p0 < concurrency; p0++) {
                int p = p0;
                all.add(threads.submit(() -> {
                    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        for (int k = p; k < n; k += concurrency) {
                            Instant at = t0.plusSeconds(k);
                            String uid = String.format("%s.%06d_KZ_webconnectivity_%016x", DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                                    .withZone(ZoneOffset.UTC).format(at), k % 1_000_000, (long) k);
                            String[] around = measurement(reports[p], 64500 + p, uid, at).split("PAGE", 2);
                            byte[] head = ("{\"format\":\"json\",\"content\":" + around[0]).getBytes(StandardCharsets.UTF_8);
                            byte[] page = pages.get(k % pages.size());
                            byte[] tail = (around[1] + "}").getBytes(StandardCharsets.UTF_8);
                            int length = head.length + page.length + tail.length;
                            bytes.addAndGet(length);
                            out.write(("POST " + base.getPath() + "report/" + reports[p] + " HTTP/1.1\r\nHost: " + base.getAuthority()
                                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(head);
                            out.write(page);
                            out.write(tail);
                            out.flush();
                            if (status(in) != 200) failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d measurements (%.1f MB, %.0f KB each on average) by %d probes in %.1f s: %.0f measurements/s, %.1f MB/s; %d failed%n",
                n, bytes.get() / 1e6, bytes.get() / 1e3 / n, concurrency, seconds, n / seconds, bytes.get() / 1e6 / seconds, failed.get());
    }

    /** Reads one response on a keep-alive connection: its status; its body is skipped. */
    private static int status(InputStream in) throws IOException {
        String statusLine = line(in);
        int length = 0;
        for (String h; !(h = line(in)).isEmpty(); ) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(h.substring(15).trim());
        }
        in.skipNBytes(length);
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new EOFException("the collector closed the connection");
            if (c != '\r') s.append((char) c);
        }
        return s.toString();
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** A page of about {@code size} bytes: paragraphs of words, as a news site's. */
    private static String page(int size, Random random) {
        String[] words = {"Almaty", "Astana", "report", "government", "internet", "court", "decision", "news", "today", "people", "access", "site"};
        StringBuilder s = new StringBuilder("<!DOCTYPE html><html><head><title>News of the day</title></head><body>");
        while (s.length() < size) {
            s.append("<p>");
            for (int i = 0; i < 40; i++) s.append(words[random.nextInt(words.length)]).append(' ');
            s.append("</p>");
        }
        return s.append("</body></html>").toString();
    }

    /** {@code body} as a JSON string's inside. */
    private static String escaped(String body) {
        return body.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** A measurement whose response body is {@code PAGE}, for the page's bytes to go there. */
    private static String measurement(String report, int asn, String uid, Instant at) {
        String time = org.blockwatch.core.archival.OoniTime.format(at);
        
        return "{\"annotations\":{\"architecture\":\"amd64\",\"engine_name\":\"blockwatch\",\"engine_version\":\"bench\",\"platform\":\"linux\","
                + "\"category_code\":\"NEWS\"},\"data_format_version\":\"0.2.0\",\"input\":\"https://news" + (asn % 50) + ".example/\","
                + "\"measurement_start_time\":\"" + time + "\",\"test_start_time\":\"" + time + "\",\"measurement_uid\":\"" + uid + "\","
                + "\"probe_asn\":\"AS" + asn + "\",\"probe_cc\":\"KZ\",\"probe_network_name\":\"bench\",\"probe_ip\":\"127.0.0.1\","
                + "\"report_id\":\"" + report + "\",\"resolver_asn\":\"AS0\",\"resolver_ip\":\"\",\"resolver_network_name\":\"\","
                + "\"software_name\":\"blockwatch\",\"software_version\":\"bench\",\"test_helpers\":{},\"test_name\":\"web_connectivity\","
                + "\"test_runtime\":0.8,\"test_version\":\"0.4.3\",\"test_keys\":{\"client_resolver\":\"192.0.2.53\","
                + "\"queries\":[{\"engine\":\"udp\",\"resolver_address\":\"192.0.2.53:53\",\"hostname\":\"news.example\",\"query_type\":\"A\","
                + "\"answers\":[{\"answer_type\":\"A\",\"ipv4\":\"198.51.100.7\",\"ttl\":300}],\"failure\":null,\"t0\":0.01,\"t\":0.03}],"
                + "\"tcp_connect\":[{\"ip\":\"198.51.100.7\",\"port\":443,\"status\":{\"success\":true,\"failure\":null},\"t0\":0.03,\"t\":0.05}],"
                + "\"tls_handshakes\":[{\"address\":\"198.51.100.7:443\",\"server_name\":\"news.example\",\"tls_version\":\"TLSv1.3\",\"failure\":null,"
                + "\"t0\":0.05,\"t\":0.1}],\"requests\":[{\"failure\":null,\"request\":{\"url\":\"https://news.example/\",\"method\":\"GET\"},"
                + "\"response\":{\"code\":200,\"headers\":{\"Content-Type\":\"text/html\"},\"body\":\"PAGE\"},\"t0\":0.1,\"t\":0.3}],"
                + "\"dns_experiment_failure\":null,\"http_experiment_failure\":null,\"control\":null,\"control_failure\":null,"
                + "\"dns_consistency\":\"consistent\",\"body_length_match\":true,\"body_proportion\":1.0,\"status_code_match\":true,"
                + "\"headers_match\":true,\"title_match\":true,\"blocking\":false,\"accessible\":true,"
                + "\"x_verdict\":{\"status\":\"accessible\",\"method\":null,\"flags\":[],\"explanation\":\"the page loads\"}}}";
    }
}
