package org.blockwatch.agent.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blockwatch.agent.config.AgentConfig;
import org.blockwatch.agent.config.Values;
import org.blockwatch.agent.export.ExportQuery;
import org.blockwatch.agent.export.ExportStore;
import org.blockwatch.agent.export.HtmlTimeline;
import org.blockwatch.agent.export.TimelineWriters;
import org.blockwatch.agent.export.Timelines;
import org.blockwatch.agent.run.Xdg;
import org.blockwatch.agent.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code blockwatch export}: blocking timelines or raw measurements from one or more stores, streamed. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write blocking timelines (one row per interval in which a target kept one state on one network) or the raw",
                "measurements (OONI's format) from the store, or from several stores merged (--db repeated)."})
final class ExportCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("timeline-csv", "timeline-json", "ooni-jsonl", "html");
    static final List<String> STATES = List.of("accessible", "blocked", "down", "inconclusive", "offline");

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "timeline-csv",
            description = "timeline-csv, timeline-json, ooni-jsonl or html. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--db", paramLabel = "FILE",
            description = "A store to read; repeat to merge several (their measurement ids are then prefixed 1:, 2:, ...). Default: the agent's.")
    List<Path> dbs = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", description = "Measurements from this time (ISO-8601, e.g. 2026-11-01 or 2026-11-01T06:00:00Z).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Measurements before this time (ISO-8601).")
    String until;

    @Option(names = "--target", paramLabel = "URL", description = "Only this target, as listed. Repeatable.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--category", paramLabel = "CODE", description = "Only this category (e.g. NEWS). Repeatable.")
    List<String> categories = new ArrayList<>();

    @Option(names = "--state", paramLabel = "STATE", description = "Only rows (or measurements) of this state: accessible, blocked, down, inconclusive, offline. Repeatable.")
    List<String> states = new ArrayList<>();

    @Option(names = "--max-gap", paramLabel = "DURATION", defaultValue = "3h",
            description = "Timelines: measurements further apart than this are a gap, not one interval. Default: ${DEFAULT-VALUE}.")
    String maxGap;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (whole or not at all) instead of stdout.")
    Path outFile;

    @Override
    public Integer call() throws Exception {
        if (!FORMATS.contains(format)) throw new InputException("--format: '" + format + "' is not one of " + String.join(", ", FORMATS));
        for (String s : states) {
            if (!STATES.contains(s)) throw new InputException("--state: '" + s + "' is not one of " + String.join(", ", STATES));
        }
        Duration gap;
        try {
            gap = Values.duration(maxGap);
        } catch (IllegalArgumentException e) {
            throw new InputException("--max-gap: " + e.getMessage());
        }
        if (gap.isZero() || gap.isNegative()) throw new InputException("--max-gap: must be positive");
        ExportQuery q = new ExportQuery(time("--since", since), time("--until", until), targets,
                categories.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList(), states, gap);
        List<Path> paths = dbs.isEmpty() ? List.of(AgentConfig.defaults(Xdg.dataHome()).storePath()) : dbs;
        List<ExportStore> stores = new ArrayList<>();
        try {
            for (int i = 0; i < paths.size(); i++) stores.add(new ExportStore(paths.get(i), paths.size() > 1 ? (i + 1) + ":" : ""));
            if (outFile == null) {
                Writer w = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
                export(stores, q, w);
                w.flush();
            } else {
                writeWhole(stores, q);
            }
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        } finally {
            stores.forEach(ExportStore::close);
        }
        return ExitCode.OK;
    }

    /** To a temporary file beside --out, moved into place only once complete. */
    private void writeWhole(List<ExportStore> stores, ExportQuery q) throws IOException, StoreException {
        Path target = outFile.toAbsolutePath();
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        } catch (IOException e) {
            throw new InputException("--out " + outFile + ": cannot write in " + target.getParent() + " (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                export(stores, q, w);
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

    private void export(List<ExportStore> stores, ExportQuery q, Writer w) throws IOException, StoreException {
        try {
            switch (format) {
                case "ooni-jsonl" -> ooniJsonl(stores, q, w);
                case "timeline-csv" -> {
                    try (TimelineWriters.RowWriter rows = TimelineWriters.csv(w)) {
                        Timelines.write(stores, q, rows::write);
                    }
                }
                case "timeline-json" -> {
                    try (TimelineWriters.RowWriter rows = TimelineWriters.json(w)) {
                        Timelines.write(stores, q, rows::write);
                    }
                }
                case "html" -> {
                    Instant from = null;
                    Instant to = null;
                    for (ExportStore s : stores) {
                        Instant[] span = s.span(q);
                        if (span == null) continue;
                        if (from == null || span[0].isBefore(from)) from = span[0];
                        if (to == null || span[1].isAfter(to)) to = span[1];
                    }
                    if (from == null) from = to = Instant.now();
                    try (HtmlTimeline page = new HtmlTimeline(w, from, to, "blockwatch: blocking timelines")) {
                        Timelines.write(stores, q, page::write);
                    }
                }
                default -> throw new IllegalStateException(format);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The stored measurements as they are (OONI's base format, one per line), store after store, by time. */
    private static void ooniJsonl(List<ExportStore> stores, ExportQuery q, Writer w) throws IOException, StoreException {
        for (ExportStore s : stores) {
            try (ExportStore.Cursor c = s.measurements(q, false, true)) {
                ExportStore.Row r;
                while ((r = c.next()) != null) {
                    if (!q.states().isEmpty() && !q.states().contains(r.status())) continue;
                    w.write(r.json());
                    w.write('\n');
                }
            }
        }
    }

    static Instant time(String option, String text) {
        if (text == null) return null;
        try {
            if (text.length() == 10) return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InputException(option + ": '" + text + "' is not an ISO-8601 date or time (e.g. 2026-11-01 or 2026-11-01T06:00:00Z)");
        }
    }
}
