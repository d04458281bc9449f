package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servers as the program runs them (a child JVM, started as a volunteer or an operator
 * starts it), against connections that send half a request and go quiet: they keep answering,
 * and close those connections by themselves.
 */
class ServerAbuseTest {
    private static final int IDLE = 200;
    @TempDir
    Path tmp;
    private final List<Process> children = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(20)).build();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) s.close();
        for (Process p : children) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process start(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), "org.blockwatch.agent.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("xdg-data").toString());
        Process p = pb.start();
        children.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits (polling, up to a minute) until something accepts on the port. */
    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) throw new AssertionError("nothing listens on " + port);
                Thread.sleep(100); // polling for the child's start, not standing in for it
            }
        }
    }

    /** Opens connections that send the start of a request and then nothing. */
    private void halfRequests(int port) throws IOException {
        for (int i = 0; i < IDLE; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            sockets.add(s);
        }
    }

    /** Each half request's connection is closed by the server (a read ends) well before a minute. */
    private void assertClosedByTheServer() throws IOException {
        int closed = 0;
        for (Socket s : sockets) {
            s.setSoTimeout(60_000);
            try {
                while (s.getInputStream().read() >= 0) {
                    // whatever the server says before it hangs up (a 408, nothing)
                }
                closed++;
            } catch (SocketTimeoutException stillOpen) {
                break;
            } catch (IOException reset) {
                closed++;
            }
        }
        assertThat(closed).as("half-sent requests the server hung up on").isEqualTo(IDLE);
    }

    @Test
    void theControlServerAnswersBesideHalfSentRequestsAndClosesThem() throws Exception {
        int port = freePort();
        start("control-server", "--listen", "127.0.0.1:" + port, "--allow-private-destinations");
        awaitListening(port);
        halfRequests(port);

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("a normal request among %d half-sent ones", IDLE).isEqualTo(400);
        assertClosedByTheServer();
    }

    @Test
    void theMetricsAnswerBesideHalfSentRequestsAndCloseThem() throws Exception {
        Process demo = start("demo", "--serve", "--metrics-listen", "127.0.0.1:0", "--store", tmp.resolve("demo.db").toString());
        int port = -1;
        Pattern metrics = Pattern.compile("Metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics");
        BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
        for (String line; port < 0 && (line = out.readLine()) != null; ) {
            Matcher m = metrics.matcher(line);
            if (m.find()) port = Integer.parseInt(m.group(1));
        }
        assertThat(port).as("the demo says where its metrics are").isPositive();
        halfRequests(port);

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("blockwatch_target_state");
        assertClosedByTheServer();
    }
}
