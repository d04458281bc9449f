package org.blockwatch.helper.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The internet-facing server's own bounds, each against the client it is for. */
class PublicServerTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    @TempDir
    Path tmp;

    /** Echoes the body's length; 64 KiB at most. */
    private static final Handler ECHO = new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            ServerLimits limits = ServerLimits.defaults();
            switch (RequestBody.read(request, 64 * 1024, limits)) {
                case RequestBody.Bytes b -> Replies.send(response, callback, 200, "text/plain", Integer.toString(b.data().length));
                case RequestBody.Refusal r -> RequestBody.refuse(request, response, callback, r, 64 * 1024, limits);
            }
            return true;
        }
    };

    private static ServerLimits limits() {
        return ServerLimits.defaults().withLoopbackCapped();
    }

    /** What the server says on {@code socket} until it hangs up (a guard of a minute against a server that never does). */
    private static String untilClosed(Socket socket) throws IOException {
        socket.setSoTimeout(60_000);
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aClientPastItsShareOfConnectionsIsClosedAtOnceWhileItsOthersAreServed() throws Exception {
        try (PublicServer server = new PublicServer("test", new PublicServer.Options(LOOPBACK, limits().withConnectionsPerAddress(2)), ECHO);
                Socket first = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
                Socket second = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
                Socket third = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            // Which of the three the server saw last is its own affair: that one is closed unread, the other two are served.
            List<String> answers = new java.util.ArrayList<>();
            for (Socket s : List.of(first, second, third)) {
                try {
                    s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
                            .getBytes(StandardCharsets.US_ASCII));
                    answers.add(untilClosed(s));
                } catch (IOException reset) {
                    answers.add("");
                }
            }
            assertThat(answers).filteredOn(a -> a.startsWith("HTTP/1.1 200") && a.endsWith("2")).hasSize(2);
            assertThat(answers).filteredOn(String::isEmpty).hasSize(1);
            assertThat(server.refusedPerAddress()).isEqualTo(1);
        }
    }

    @Test
    void anUnfinishedHeadIsClosedAtTheHeadDeadlineEvenWhenItKeepsTrickling() throws Exception {
        // The idle timeout is long: only the head deadline can close it.
        ServerLimits limits = new ServerLimits(64, 100, Duration.ofSeconds(1), Duration.ofMinutes(5), 256, 16 * 1024, Set.of(), true);
        try (PublicServer server = new PublicServer("test", new PublicServer.Options(LOOPBACK, limits), ECHO);
                Socket slow = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
                Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            slow.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(untilClosed(slow)).doesNotContain("200");
            assertThat(untilClosed(silent)).doesNotContain("200");
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413AtOnceBeforeAByteOfIt() throws Exception {
        try (PublicServer server = new PublicServer("test", new PublicServer.Options(LOOPBACK, limits()), ECHO);
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(60_000);
            byte[] head = new byte[12];
            assertThat(s.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void encodingsAreDecodedOrRefusedByName() throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        try (PublicServer server = new PublicServer("test", new PublicServer.Options(LOOPBACK, limits()), ECHO)) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/");
            java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
            try (var out = new java.util.zip.DeflaterOutputStream(deflated)) {
                out.write("x".repeat(1000).getBytes(StandardCharsets.US_ASCII));
            }
            HttpResponse<String> deflate = http.send(HttpRequest.newBuilder(uri).header("Content-Encoding", "deflate")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(deflated.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deflate.body()).isEqualTo("1000");
            HttpResponse<String> notGzip = http.send(HttpRequest.newBuilder(uri).header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofString("plain text")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(notGzip.statusCode()).isEqualTo(400);
            assertThat(notGzip.body()).contains("not valid gzip");
            HttpResponse<String> brotli = http.send(HttpRequest.newBuilder(uri).header("Content-Encoding", "br")
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(brotli.statusCode()).isEqualTo(415);
        }
    }

    @Test
    void servesHttpsFromAPemPairAndFromPkcs12AndLogsRequestsWithoutTheClientsAddress() throws Exception {
        Path p12 = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "s",
                "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, "changeit".toCharArray());
        }
        Certificate cert = store.getCertificate("s");
        Path certPem = tmp.resolve("cert.pem");
        Path keyPem = tmp.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", ((PrivateKey) store.getKey("s", "changeit".toCharArray())).getEncoded()));
        Path password = tmp.resolve("p12.password");
        Files.writeString(password, "changeit\n");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("s", cert);
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).proxy(HttpClient.Builder.NO_PROXY).build();
        Path log = tmp.resolve("access.log");
        for (Tls certificate : List.of(new Tls(certPem, keyPem), new Tls(p12, password))) {
            try (PublicServer server = new PublicServer("test", new PublicServer.Options(LOOPBACK, limits(), certificate, log), ECHO)) {
                assertThat(server.scheme()).isEqualTo("https");
                HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.address().getPort() + "/x"))
                        .POST(HttpRequest.BodyPublishers.ofString("abc")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("3");
            }
        }
        // Stopping the servers flushed the log.
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("- - - [").contains("\"POST /x HTTP/1.1\" 200")
                .doesNotContain("127.0.0.1"));
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }
}
