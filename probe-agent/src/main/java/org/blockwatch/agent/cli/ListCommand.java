package org.blockwatch.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.core.verdict.Verdict.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code blockwatch list}: the store's measurements, newest first, as {@code ooniprobe list} shows its own. */
@Command(name = "list", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
        header = "List the stored measurements, newest first.",
        description = "List the stored measurements, newest first, one a line: its id (the measurement_uid of ooni-jsonl "
                + "exports; give it to 'blockwatch show'), its time in the local zone, its kind, its input and its verdict "
                + "(status and method).")
final class ListCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "URL", description = "Only this target's (with or without its trailing slash).")
    String target;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only those with this verdict: accessible, blocked, down or inconclusive.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most this many (1 to 100000). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONFIG, Keys.STORE);
    }

    @Override
    public Integer call() {
        Status wanted;
        try {
            wanted = status == null ? null : Status.ofLabel(status);
        } catch (IllegalArgumentException e) {
            throw new InputException("--status: " + e.getMessage());
        }
        if (limit < 1 || limit > 100_000) throw new InputException("--limit: " + limit + " is out of range 1 to 100000");
        List<MeasurementStore.Listed> listed;
        try (MeasurementStore store = StoredReader.open(settings(spec).storePath())) {
            listed = store.recent(target, wanted, limit);
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
        Texts texts = Texts.ofEnvironment();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {texts.t("list.id"), texts.t("list.time", java.time.ZoneId.systemDefault().getId()), texts.t("list.kind"),
                texts.t("list.input"), texts.t("list.verdict")});
        for (MeasurementStore.Listed m : listed) {
            rows.add(new String[] {m.uid() == null ? "-" : m.uid(), StoredReader.local(m.measuredAt()), m.testName(), m.target(),
                    texts.label("state", m.status().label()) + (m.method() == null ? "" : " (" + m.method().label() + ")")});
        }
        TextTable.print(spec.commandLine().getOut(), rows);
        return ExitCode.OK;
    }
}
