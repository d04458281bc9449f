package org.blockwatch.agent.push;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Remote-write requests waiting to be sent, on disk, oldest first: one file per request, named by
 * its sequence number and sample count, written whole (a temporary file moved into place) so a
 * kill leaves no half request. Bounded: past {@code maxBytes} the oldest requests are dropped first,
 * and their samples counted. An entry named like a request that is not one (a folder, a sample
 * count out of range) is left where it is, never sent nor removed, and named once in an error.
 * Not thread-safe: one writer owns it.
 */
public final class PushBuffer {
    private static final Pattern NAME = Pattern.compile("(\\d{16})-(\\d+)\\.rw");

    /** A waiting request. */
    public record Segment(Path file, long sequence, int samples) {}

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PushBuffer.class);

    private final Path dir;
    private final long maxBytes;
    /** Entries named like requests that are not, each with why: said once, left alone. */
    private final java.util.Map<Path, String> damaged = new java.util.LinkedHashMap<>();
    private long next;
    private long bytes;

    public PushBuffer(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        for (Segment s : segments()) {
            next = Math.max(next, s.sequence() + 1);
            bytes += Files.size(s.file());
        }
        try (Stream<Path> tmp = Files.list(dir)) {
            for (Path p : tmp.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) Files.deleteIfExists(p);
        }
    }

    /** Adds a request of {@code samples} samples; returns the samples dropped to stay within the bound. */
    public long append(byte[] request, int samples) throws IOException {
        Path tmp = dir.resolve(String.format("%016d-%d.tmp", next, samples));
        Files.write(tmp, request);
        Path file = dir.resolve(String.format("%016d-%d.rw", next, samples));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        next++;
        bytes += request.length;
        long dropped = 0;
        for (Segment s : segments()) {
            if (bytes <= maxBytes || s.sequence() == next - 1) break;
            dropped += s.samples();
            remove(s);
        }
        return dropped;
    }

    /** The oldest waiting request, if any. */
    public Optional<Segment> oldest() throws IOException {
        List<Segment> all = segments();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    public byte[] read(Segment s) throws IOException {
        return Files.readAllBytes(s.file());
    }

    public void remove(Segment s) throws IOException {
        long size = Files.exists(s.file()) ? Files.size(s.file()) : 0;
        if (Files.deleteIfExists(s.file())) bytes -= size;
    }

    /** Entries named like requests that are not, each with why (left where they are, never sent). */
    java.util.Map<Path, String> damaged() {
        return java.util.Map.copyOf(damaged);
    }

    /** Bytes waiting. */
    public long bytes() {
        return bytes;
    }

    private List<Segment> segments() throws IOException {
        List<Segment> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                long sequence = Long.parseLong(m.group(1)); // 16 digits: within a long
                String why = null;
                int samples = 0;
                if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    why = "is not a file";
                } else {
                    try {
                        samples = Integer.parseInt(m.group(2));
                    } catch (NumberFormatException e) {
                        why = "has a sample count out of range (" + m.group(2) + ")";
                    }
                }
                if (why != null) {
                    next = Math.max(next, sequence + 1); // never written over
                    if (damaged.putIfAbsent(p, why) == null) {
                        log.error("remote write: {} is named like a waiting request but {}: it is left there, not sent (move it away)", p, why);
                    }
                    continue;
                }
                out.add(new Segment(p, sequence, samples));
            }
        }
        out.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return out;
    }
}
