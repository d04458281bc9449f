package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.core.portfiltering.PortFilterWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code control-server --ports-tcp --ports-udp}: the port-filtering listener beside the control server, and its start-up errors. */
class ControlServerPortsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    @TempDir
    Path tmp;
    private Process child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroy();
            child.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBadListOrPortIsRefusedAtStartNamingTheOptionAndThePort() {
        Cli letters = Cli.run("control-server", "--listen", "127.0.0.1:0", "--ports-tcp", "22,ssh");
        assertThat(letters.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(letters.err()).contains("--ports-tcp", "'22,ssh' is not a comma-separated list of ports");
        Cli range = Cli.run("control-server", "--listen", "127.0.0.1:0", "--ports-udp", "53,70000");
        assertThat(range.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(range.err()).contains("--ports-udp: 70000 is not a port (1 to 65535)");
    }

    @Test
    void aPortInUseOrTheControlServersOwnIsRefusedAtStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK); DatagramSocket takenUdp = new DatagramSocket(0, LOOPBACK)) {
            int tcp = taken.getLocalPort();
            Cli r = Cli.run("control-server", "--listen", "127.0.0.1:0", "--ports-tcp", String.valueOf(tcp));
            assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("--ports-tcp: tcp/" + tcp + ": cannot listen on 127.0.0.1:" + tcp + ": ", "(another program listens there)");
            int udp = takenUdp.getLocalPort();
            Cli u = Cli.run("control-server", "--listen", "127.0.0.1:0", "--ports-udp", String.valueOf(udp));
            assertThat(u.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(u.err()).contains("--ports-udp: udp/" + udp + ": cannot listen on 127.0.0.1:" + udp + ": ");
        }
        int own = freePorts(1).getFirst();
        Cli r = Cli.run("control-server", "--listen", "127.0.0.1:" + own, "--ports-tcp", String.valueOf(own));
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--ports-tcp " + own + ": that is the control server's own port (--listen)");
    }

    @Test
    void theCommandStartsTheListenerOnItsPortsAndItAnswers() throws Exception {
        List<Integer> ports = freePorts(2);
        int tcp = ports.get(0);
        int udp;
        try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            udp = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), "org.blockwatch.agent.cli.Main",
                "control-server", "--listen", "127.0.0.1:" + ports.get(1), "--ports-tcp", String.valueOf(tcp), "--ports-udp", String.valueOf(udp))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("xdg-data").toString());
        child = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Pattern started = Pattern.compile("port-filtering listener on (.*)");
        String listening = null;
        for (String line; listening == null && (line = out.readLine()) != null; ) {
            Matcher m = started.matcher(line);
            if (m.matches()) listening = m.group(1);
        }
        assertThat(listening).isEqualTo("tcp/" + tcp + " udp/" + udp + " on 127.0.0.1");

        try (Socket s = new Socket(LOOPBACK, tcp)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(PortFilterWire.tcpRequest("abcdefgh12345678"));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("blockwatch-ports! abcdefgh12345678 tcp=" + tcp + " udp=" + udp + "\n");
        }
        try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            s.setSoTimeout(20_000);
            byte[] query = PortFilterWire.dnsQuery(31, "abcdefgh12345678");
            s.send(new DatagramPacket(query, query.length, LOOPBACK, udp));
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            s.receive(p);
            assertThat(PortFilterWire.isDnsAnswer(p.getData(), p.getLength(), 31, "abcdefgh12345678")).isTrue();
        }
    }

    /** {@code n} distinct loopback ports free a moment ago. */
    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) held.add(new ServerSocket(0, 1, LOOPBACK));
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }
}
