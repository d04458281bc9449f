package org.blockwatch.agent.targets;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.blockwatch.agent.net.BoundedBody;

/**
 * {@code blockwatch targets update}: Citizen Lab's lists fetched again from where they are
 * published, each checked as the agent would load it, and put in place whole (a temporary file
 * moved over the old one). On any error the list in place stays as it was. An answer is read to
 * {@link #MAX_BYTES} and no further, and the whole exchange, its body included, within the timeout.
 */
public final class ListUpdater {
    /** Where Citizen Lab publishes its lists. */
    public static final String CITIZENLAB = "https://raw.githubusercontent.com/citizenlab/test-lists/master/lists/";
    /** A published list is far smaller; anything larger is not one. */
    static final int MAX_BYTES = 20 * 1024 * 1024;
    /** At most this share of a list's rows may be bad for it to be taken. */
    static final double MAX_BAD_SHARE = 0.1;

    /** What became of one list. */
    public record Outcome(String name, boolean updated, int targets, String message) {}

    private final HttpClient http;
    private final Duration timeout;

    /** @param timeout for each list, the whole exchange: its answer's head and body */
    public ListUpdater(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * A public list, readable by the agent that reads it: the .deb's service runs as a user of its
     * own while {@code sudo blockwatch targets update} writes as root, and a temporary file is
     * private to whoever made it. The list and its folder become the owner's of the folder around
     * them (the service's state folder), where this process may change owners.
     */
    private static void readableByTheAgent(Path file, Path dir) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) return;
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path around = dir.toAbsolutePath().getParent();
        if (around == null) return;
        try {
            var owner = Files.getOwner(around);
            for (Path p : new Path[] {dir, file}) {
                if (!owner.equals(Files.getOwner(p))) Files.setOwner(p, owner);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not root: the list stays the updater's, readable by all
        }
    }

    private static String hostOf(URI uri) {
        return uri.getHost() == null ? uri.toString() : uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** Why a fetch failed, in plain words (the exception's class name says nothing to a volunteer). */
    static String cause(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) return "connection refused (offline, or a firewall in the way?)";
            if (c instanceof java.net.UnknownHostException) return "the name does not resolve (offline, or DNS blocked?)";
            if (c instanceof java.net.http.HttpConnectTimeoutException) return "no answer to the connection (offline?)";
            if (c instanceof java.net.http.HttpTimeoutException) return "no complete answer in time";
            if (c instanceof javax.net.ssl.SSLException) return "the secure connection failed (" + c.getMessage() + ")";
            if (c instanceof java.net.NoRouteToHostException) return "no route to the host (offline?)";
        }
        return t.getMessage() == null ? "the connection failed" : "the connection failed (" + t.getMessage() + ")";
    }

    /** Fetches {@code base + country + ".csv"} into {@code dir/citizenlab-COUNTRY.csv}. */
    public Outcome update(String base, String country, Path dir) {
        String name = "citizenlab-" + country;
        URI uri = URI.create(base.endsWith("/") ? base + country + ".csv" : base + "/" + country + ".csv");
        try {
            // Read to the limit and no further (a 1 GB answer is cut there, not read whole), the
            // whole exchange within the timeout (a body that trickles is given up at it).
            HttpResponse<BoundedBody.Body> r = BoundedBody.send(http, HttpRequest.newBuilder(uri).timeout(timeout).build(), MAX_BYTES + 1, timeout);
            if (r.statusCode() != 200) return new Outcome(name, false, 0, uri + ": HTTP " + r.statusCode() + "; the list in place is kept");
            byte[] body = r.body().bytes();
            if (r.body().truncated() || body.length > MAX_BYTES) {
                return new Outcome(name, false, 0, uri + ": larger than " + MAX_BYTES + " bytes (not read further); the list in place is kept");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(body)).toString();
            } catch (CharacterCodingException e) {
                return new Outcome(name, false, 0, uri + ": not UTF-8 text; the list in place is kept");
            }
            TargetList list;
            try {
                list = TargetListLoader.parse(uri.toString(), text);
            } catch (IOException e) {
                return new Outcome(name, false, 0, e.getMessage() + "; the list in place is kept");
            }
            int rows = list.targets().size() + list.problems().size();
            if (list.targets().isEmpty() || list.problems().size() > MAX_BAD_SHARE * rows) {
                return new Outcome(name, false, 0, uri + ": " + list.targets().size() + " good rows, " + list.problems().size()
                        + " bad: not a target list; the list in place is kept");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try {
                Files.write(tmp, body);
                readableByTheAgent(tmp, dir);
                Files.move(tmp, dir.resolve(name + ".csv"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new Outcome(name, true, list.targets().size(), uri + ": " + list.targets().size() + (list.targets().size() == 1 ? " target" : " targets")
                    + (list.problems().isEmpty() ? "" : " (" + list.problems().size() + " bad rows left out)") + ", in " + dir.resolve(name + ".csv"));
        } catch (IOException e) {
            return new Outcome(name, false, 0, "cannot reach " + hostOf(uri) + ": " + cause(e) + " (" + uri + "); the list in place is kept");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(name, false, 0, uri + ": interrupted; the list in place is kept");
        } catch (IllegalArgumentException e) {
            return new Outcome(name, false, 0, base + ": not a URL (" + e.getMessage() + ")");
        }
    }
}
