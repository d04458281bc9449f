package org.blockwatch.agent.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.collector.DatabaseUrl;
import org.blockwatch.agent.store.StoreException;

/**
 * Writes one export of one or more stores: blocking timelines (CSV, JSON, HTML) or the raw
 * measurements (OONI JSONL), streamed from the stores, to a writer or whole to a file.
 */
public final class Exporter {
    /** The formats, as {@code --format} names them. */
    public enum Format {
        TIMELINE_CSV("timeline-csv"), TIMELINE_JSON("timeline-json"), OONI_JSONL("ooni-jsonl"), HTML("html");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The format of a label that the settings table has checked. */
        public static Format ofLabel(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }

        public static List<String> labels() {
            return java.util.Arrays.stream(values()).map(Format::label).toList();
        }
    }

    private final List<Path> dbs;
    private final String from;
    private final ExportQuery query;
    private final Format format;

    public Exporter(List<Path> dbs, ExportQuery query, Format format) {
        this(dbs, null, query, format);
    }

    /** From stores, or (with {@code from}, a {@code postgresql://} or {@code postgres://} URL) from a collector's database. */
    public Exporter(List<Path> dbs, String from, ExportQuery query, Format format) {
        if (dbs.isEmpty() && from == null) throw new IllegalArgumentException("no store to export");
        this.dbs = List.copyOf(dbs);
        this.from = from;
        this.query = query;
        this.format = format;
    }

    /** Writes the export to {@code out} (not closed). */
    public void writeTo(Writer out) throws IOException, StoreException {
        List<ExportStore> stores = new ArrayList<>();
        try {
            if (from != null) stores.add(ExportStore.collector(jdbc(from), DatabaseUrl.shown(from)));
            for (Path db : dbs) stores.add(new ExportStore(db));
            write(stores, out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            stores.forEach(ExportStore::close);
        }
    }

    private static String jdbc(String from) throws StoreException {
        try {
            return DatabaseUrl.jdbc(from);
        } catch (IllegalArgumentException e) {
            throw new StoreException("--from " + e.getMessage(), e);
        }
    }

    /** Writes the export to a temporary file beside {@code file}, moved into place only once complete: whole or not at all. */
    public void writeWhole(Path file) throws IOException, StoreException {
        Path target = file.toAbsolutePath();
        removeLeftovers(target);
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                writeTo(w);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The {@code .part} files an earlier export to {@code target} left when its process was killed
     * (or exited on an {@code OutOfMemoryError}) before it could remove them.
     */
    private static void removeLeftovers(Path target) throws IOException {
        String prefix = "." + target.getFileName();
        try (java.nio.file.DirectoryStream<Path> parts = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".part") && Files.isRegularFile(p))) {
            for (Path p : parts) {
                String middle = p.getFileName().toString().substring(prefix.length(), p.getFileName().toString().length() - ".part".length());
                if (middle.chars().allMatch(Character::isDigit)) Files.deleteIfExists(p); // createTempFile's digits, nothing else
            }
        }
    }

    private void write(List<ExportStore> stores, Writer w) throws IOException, StoreException {
        switch (format) {
            case OONI_JSONL -> ooniJsonl(stores, w);
            case TIMELINE_CSV -> {
                try (TimelineWriters.RowWriter rows = TimelineWriters.csv(w)) {
                    Timelines.write(stores, query, rows::write);
                }
            }
            case TIMELINE_JSON -> {
                try (TimelineWriters.RowWriter rows = TimelineWriters.json(w)) {
                    Timelines.write(stores, query, rows::write);
                }
            }
            case HTML -> {
                Instant from = null;
                Instant to = null;
                for (ExportStore s : stores) {
                    Instant[] span = s.span(query);
                    if (span == null) continue;
                    if (from == null || span[0].isBefore(from)) from = span[0];
                    if (to == null || span[1].isAfter(to)) to = span[1];
                }
                if (from == null) from = to = Instant.now();
                try (HtmlTimeline page = new HtmlTimeline(w, from, to, "blockwatch: blocking timelines")) {
                    Timelines.write(stores, query, page::write);
                }
            }
        }
    }

    /**
     * The stored documents, one per line, store after store, by time: the bytes the store holds,
     * unchanged (the same bytes a collector received). The store's documents are final
     * ({@code OoniDocument}; older stores are rewritten when opened).
     */
    private void ooniJsonl(List<ExportStore> stores, Writer w) throws IOException, StoreException {
        for (ExportStore s : stores) {
            try (ExportStore.Cursor c = s.measurements(query, false, true)) {
                ExportStore.Row r;
                while ((r = c.next()) != null) {
                    if (!query.wantsState(r.status())) continue;
                    w.write(r.json());
                    w.write('\n');
                }
            }
        }
    }
}
