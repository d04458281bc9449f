package org.blockwatch.agent.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.blockwatch.agent.export.ExportQuery;
import org.blockwatch.agent.export.Exporter;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch export}: blocking timelines or raw measurements from one or more stores, streamed. */
@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Write blocking timelines or the raw measurements.",
        description = "Write blocking timelines (one row per interval in which a target kept one state on one network) or "
                + "the raw measurements (OONI's format) from the store, or from several stores merged (--db repeated), or from a "
                + "collector's database (--from). Each timeline row names the measurement_uids of its first and last measurement, "
                + "the network, the resolver, the flags, and the last measurement of the state before it.")
final class ExportCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.FORMAT, Keys.DBS, Keys.FROM, Keys.CONFIG, Keys.SINCE, Keys.UNTIL, Keys.TARGETS, Keys.EXPORT_ASNS, Keys.EXPORT_CCS,
                Keys.EXPORT_CATEGORIES, Keys.STATES, Keys.MAX_GAP, Keys.OUT);
    }

    @Override
    public Integer call() throws Exception {
        Settings s = settings(spec);
        ExportQuery q = new ExportQuery(s.get(Keys.SINCE), s.get(Keys.UNTIL), s.get(Keys.TARGETS), s.get(Keys.EXPORT_ASNS), s.get(Keys.EXPORT_CCS),
                s.get(Keys.EXPORT_CATEGORIES), s.get(Keys.STATES), s.get(Keys.MAX_GAP));
        String from = s.get(Keys.FROM);
        if (from != null && !s.get(Keys.DBS).isEmpty()) throw new InputException("--from and --db: give one or the other", null);
        List<Path> dbs = from != null ? List.of() : s.get(Keys.DBS).isEmpty() ? List.of(s.storePath()) : s.get(Keys.DBS);
        Exporter exporter = new Exporter(dbs, from, q, Exporter.Format.ofLabel(s.get(Keys.FORMAT)));
        Path out = s.get(Keys.OUT);
        try {
            if (out == null) {
                Writer w = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
                exporter.writeTo(w);
                w.flush();
            } else {
                writeWhole(exporter, out);
            }
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
        return ExitCode.OK;
    }

    private static void writeWhole(Exporter exporter, Path out) throws IOException, StoreException {
        Path folder = out.toAbsolutePath().getParent();
        if (java.nio.file.Files.isDirectory(out)) throw new InputException("--out " + out + ": a folder; give a file name (e.g. " + out.resolve("timeline.csv") + ")", null);
        try {
            exporter.writeWhole(out);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw new InputException("--out " + out + ": cannot write in " + folder + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
