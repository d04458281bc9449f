package org.blockwatch.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.tls.TrustRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 29: every answer the program reads is read to a bound and within a deadline. A helper's
 * answer that trickles ends at the control's time; one that never ends is read to 1 MiB, no further.
 */
class ControlClientBoundsTest {
    private static ControlClient client(ServerSocket helper) {
        return new ControlClient(List.of("http://127.0.0.1:" + helper.getLocalPort() + "/"), Duration.ofSeconds(1), Duration.ofSeconds(2),
                TrustRoots.jdkPlus(List.of()), null);
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException();
            head.append((char) b);
        }
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
    }

    @Test
    @Timeout(120)
    void anAnswerThatTricklesEndsAtTheControlsTime() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket helper = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!helper.isClosed()) {
                    try (Socket s = helper.accept()) {
                        readRequest(s.getInputStream());
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        done.await(); // the rest never comes while the test runs
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                ControlResult r = client(helper).query(TargetUrl.parse("http://x.example/"), List.of());
                assertThat(r.failure()).isNotNull();
            } finally {
                done.countDown();
            }
        }
    }

    @Test
    @Timeout(120)
    void anAnswerThatNeverEndsIsReadTo1MiB() throws Exception {
        long sends = 256L << 20;
        AtomicLong written = new AtomicLong();
        try (ServerSocket helper = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket s = helper.accept()) {
                    readRequest(s.getInputStream());
                    var out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    while (written.get() < sends) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // the client hung up
                }
            });
            ControlResult r = client(helper).query(TargetUrl.parse("http://x.example/"), List.of());
            assertThat(r.failure()).isNotNull();
            server.join();
            assertThat(written.get()).as("the client stopped reading at its bound").isLessThan(sends);
        }
    }
}
