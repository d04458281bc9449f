package org.blockwatch.core.locate;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Debian server (coturn's turnserver, dnsmasq) started by a test on a loopback UDP port, and
 * stopped with it. Missing on a developer's machine, the test is skipped with the package to
 * install; missing in CI (which installs them), it fails.
 */
public final class RealServer implements AutoCloseable {
    public final int port;
    private final Process process;
    private final Path log;

    private RealServer(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static Path program(String path, String debianPackage) {
        Path p = Path.of(path);
        if (Files.isExecutable(p)) return p;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's " + debianPackage + " (.ci/run installs it)");
        Assumptions.abort("no " + path + " on this machine (apt-get install " + debianPackage + ")");
        return null;
    }

    /**
     * A port on 127.0.0.1 free for UDP and for TCP when asked (the server binds it right after):
     * dnsmasq listens on both, and a port free for UDP alone was once taken on TCP by another
     * test's server ("Address already in use").
     */
    static int freeUdpPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                try (java.net.ServerSocket tcp = new java.net.ServerSocket(s.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
                    return s.getLocalPort();
                } catch (java.net.BindException takenOnTcp) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1 in 50 attempts");
    }

    /** coturn as a STUN-only server on 127.0.0.1. */
    public static RealServer coturn(Path dir) throws IOException, InterruptedException {
        Path turnserver = program("/usr/bin/turnserver", "coturn");
        int port = freeUdpPort();
        return start(dir.resolve("turnserver.log"), port, turnserver.toString(), "-n", "--stun-only", "--listening-ip=127.0.0.1",
                "--listening-port=" + port, "--no-cli", "--no-tls", "--no-dtls", "--log-file=stdout", "--simple-log",
                "--pidfile=" + dir.resolve("turnserver.pid"), "--no-software-attribute");
    }

    /**
     * dnsmasq on 127.0.0.1 answering only from {@code config} (lines of its configuration file, as
     * {@code txt-record=name,"text, with commas"}; no upstream, no hosts file).
     */
    static RealServer dnsmasq(Path dir, String... config) throws IOException, InterruptedException {
        Path dnsmasq = program("/usr/sbin/dnsmasq", "dnsmasq-base");
        int port = freeUdpPort();
        Path conf = Files.writeString(dir.resolve("dnsmasq.conf"), String.join("\n", config) + "\n");
        List<String> cmd = new ArrayList<>(List.of(dnsmasq.toString(), "--keep-in-foreground", "--log-facility=-", "--log-queries",
                "--conf-file=" + conf, "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--pid-file=" + dir.resolve("dnsmasq.pid")));
        if (isRoot()) cmd.add("--user=" + System.getProperty("user.name"));
        return start(dir.resolve("dnsmasq.log"), port, cmd.toArray(String[]::new));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static RealServer start(Path log, int port, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealServer server = new RealServer(port, p, log);
        server.awaitListening();
        return server;
    }

    /** Waits until the process has bound its UDP port (seen in /proc/net/udp), or fails with its log. */
    private void awaitListening() throws IOException, InterruptedException {
        String hexPort = String.format(":%04X ", port);
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) throw new AssertionError("server exited: " + Files.readString(log));
            if (Files.readAllLines(Path.of("/proc/net/udp")).stream().anyMatch(l -> l.contains("0100007F" + hexPort))) return;
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("server did not bind 127.0.0.1:" + port + ": " + Files.readString(log));
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
