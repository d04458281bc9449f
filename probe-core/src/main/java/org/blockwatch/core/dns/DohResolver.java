package org.blockwatch.core.dns;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.blockwatch.core.archival.HttpBody;
import org.blockwatch.core.archival.HttpHeaders;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.failure.ClassifiedException;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.xbill.DNS.Message;

/**
 * DNS over HTTPS ({@code https://HOST/PATH}, RFC 8484): each query a connect, a TLS handshake
 * (SNI and certificate as {@link DotResolver}'s, ALPN {@code http/1.1}) and one HTTP/1.1
 * {@code POST} of the message as {@code application/dns-message}, with {@code Host} the
 * resolver's name, answered by a 200 carrying the response. HTTP/1.1 by hand, on the session the
 * handshake step opened, so that the name on the wire and the chain recorded are exactly those of
 * this query (OkHttp through {@code core.http.HttpFetcher} sends text bodies only). Recorded as
 * OONI's {@code engine} {@code doh}, {@code resolver_address} the URL at the address asked, with
 * {@code tcp_connect}, {@code tls_handshakes}, {@code network_events} and the round trip in
 * {@code requests} (its request body, the query, is in {@code queries} and not repeated there).
 * A response other than a 200 of that type is the server misbehaving. Thread-safe.
 */
public final class DohResolver extends ConnectedResolver {
    static final String MEDIA_TYPE = "application/dns-message";
    private static final String[] ALPN = {"http/1.1"};
    private static final int MAX_HEAD = 16 * 1024;

    /** Build it with {@link Resolvers#at}. */
    DohResolver(ResolverUrl url, InetAddress address, Resolvers.Setup setup) {
        super(url, address, setup);
        if (url.protocol() != ResolverUrl.Protocol.DOH) throw new IllegalArgumentException("not an https:// (DoH) resolver: " + url);
    }

    /** The URL at the address asked: {@code https://8.8.8.8/dns-query}. */
    @Override
    public String address() {
        return url.lookupKey(endpoint.ip());
    }

    @Override
    Message talk(Socket connected, Message query, WireRecorder recorder, StepContext context) throws Broken {
        String name = url.serverName();
        SSLSocket ssl = secured(connected, ALPN, recorder, context);
        String authority = (name != null ? name : Endpoint.hostPart(endpoint.ip().getHostAddress())) + (url.port() == 443 ? "" : ":" + url.port());
        String target = "https://" + authority + url.path();
        byte[] body = query.toWire();
        List<List<String>> sent = List.of(List.of("Host", authority), List.of("Accept", MEDIA_TYPE), List.of("Content-Type", MEDIA_TYPE),
                List.of("Content-Length", String.valueOf(body.length)), List.of("Connection", "close"));
        HttpTransaction.Request request = new HttpTransaction.Request("POST", target, new HttpHeaders(sent), "", false);
        Scope step = context.open(StepKind.HTTP_RESPONSE, target);
        Head head = null;
        byte[] answer;
        try {
            OutputStream out = ssl.getOutputStream();
            StringBuilder text = new StringBuilder("POST ").append(url.path()).append(" HTTP/1.1\r\n");
            for (List<String> h : sent) text.append(h.get(0)).append(": ").append(h.get(1)).append("\r\n");
            byte[] headBytes = text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            out.write(headBytes);
            out.write(body);
            out.flush();
            recorder.wrote(headBytes.length + body.length);
            InputStream in = new BufferedInputStream(ssl.getInputStream());
            head = Head.read(in);
            answer = head.body(in);
            recorder.read(head.size + answer.length);
            step.succeed();
        } catch (IOException e) {
            String failure = FailureClassifier.classify(e);
            step.fail(failure);
            recorder.failed("read", failure);
            HttpTransaction.Response partial = head == null ? null
                    : new HttpTransaction.Response(head.code, new HttpHeaders(head.headers), HttpBody.EMPTY, false, null);
            recorder.request(new HttpTransaction("tcp", endpoint.toString(), "http/1.1", request, partial, failure, Map.of(), step.t0(), step.t(),
                    step.tx()));
            throw new Broken(failure, Operation.HTTP_ROUND_TRIP);
        } finally {
            closeQuietly(ssl);
        }
        recorder.request(new HttpTransaction("tcp", endpoint.toString(), "http/1.1", request,
                new HttpTransaction.Response(head.code, new HttpHeaders(head.headers), new HttpBody(answer), false, null), null, Map.of(),
                step.t0(), step.t(), step.tx()));
        String type = head.first("Content-Type");
        if (head.code != 200 || type == null || !type.toLowerCase(Locale.ROOT).startsWith(MEDIA_TYPE)) {
            throw new Broken(Failure.DNS_SERVER_MISBEHAVING, Operation.RESOLVE);
        }
        try {
            return DnsRecords.response(query, answer);
        } catch (IOException e) {
            throw new Broken(FailureClassifier.classify(e), Operation.RESOLVE);
        }
    }

    /** A response's status and headers as read, and how many bytes they took. */
    private record Head(int code, List<List<String>> headers, int size) {
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) throw new EOFException("the response head ended early");
                bytes.write(b);
                if (bytes.size() > MAX_HEAD) throw new NotHttp("a response head over " + MAX_HEAD + " bytes");
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] status = lines[0].split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/1.")) throw new NotHttp("not an HTTP/1.x status line");
            int code;
            try {
                code = Integer.parseInt(status[1]);
            } catch (NumberFormatException e) {
                throw new NotHttp("not an HTTP status code");
            }
            List<List<String>> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) continue;
                headers.add(List.of(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
            }
            return new Head(code, headers, bytes.size());
        }

        String first(String name) {
            return new HttpHeaders(headers).first(name);
        }

        /** The body: by its length, chunked, or up to the close; a DNS message's size at most. */
        byte[] body(InputStream in) throws IOException {
            String encoding = first("Transfer-Encoding");
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (true) {
                    String line = line(in);
                    int semicolon = line.indexOf(';');
                    int size;
                    try {
                        size = Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).strip(), 16);
                    } catch (NumberFormatException e) {
                        throw new NotHttp("a bad chunk size");
                    }
                    if (size == 0) break;
                    if (out.size() + size > MAX_MESSAGE) throw new NotHttp("a body larger than a DNS message");
                    out.write(exactly(in, size));
                    line(in);
                }
                return out.toByteArray();
            }
            String length = first("Content-Length");
            if (length != null) {
                int n;
                try {
                    n = Integer.parseInt(length.strip());
                } catch (NumberFormatException e) {
                    throw new NotHttp("a bad Content-Length");
                }
                if (n < 0 || n > MAX_MESSAGE) throw new NotHttp("a body larger than a DNS message");
                return exactly(in, n);
            }
            byte[] rest = in.readNBytes(MAX_MESSAGE + 1);
            if (rest.length > MAX_MESSAGE) throw new NotHttp("a body larger than a DNS message");
            return rest;
        }

        private static byte[] exactly(InputStream in, int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) throw new EOFException("the body ended early");
            return b;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder s = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) throw new EOFException("the body ended early");
                if (s.length() > 1024) throw new NotHttp("a chunk line too long");
                if (b != '\r') s.append((char) b);
            }
            return s.toString();
        }
    }

    /** A response that is not HTTP as sent by a DoH server. */
    private static final class NotHttp extends IOException implements ClassifiedException {
        NotHttp(String why) {
            super(why);
        }

        @Override
        public String failure() {
            return Failure.DNS_SERVER_MISBEHAVING;
        }
    }
}
