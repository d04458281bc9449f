package org.blockwatch.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.schedule.BandwidthBudget;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.store.StoreLock;
import org.blockwatch.agent.upload.CollectorClient;
import org.blockwatch.agent.upload.Uploader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code blockwatch upload}: sends to the configured collector every stored measurement not sent
 * yet, those measured before uploads were turned on included, through the agent's own upload
 * queue (so each goes once, whatever ran before or runs after).
 */
@Command(name = "upload", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
        header = "Send the stored measurements not sent yet to the configured collector.",
        description = "Send every stored measurement not sent yet (those measured before uploads were turned on too) to the "
                + "collector of upload.collector, each once: the store records what was sent. Prints how many were sent, wait "
                + "and were refused. Not while an agent runs on the store (it uploads by itself once upload.collector is set "
                + "and it is restarted). Exit 0 when nothing waits, 1 when some could not be sent now (tried again by the next "
                + "'upload' or 'run'), 2 with no collector configured.")
final class UploadCommand implements Callable<Integer>, TakesSettings {
    /** As long as the agent gives one upload. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONFIG, Keys.STORE);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        String collector = settings.get(Keys.UPLOAD_COLLECTOR);
        Texts texts = Texts.ofEnvironment();
        if (collector == null) throw new InputException(texts.t("upload.noCollector", settings.file() == null ? "" : " (" + settings.file() + ")"));
        Path path = settings.storePath();
        if (!Files.exists(path)) throw new InputException("store " + path + ": no such file (nothing measured yet, or another --store/--config?)");
        String token = ProbeFactory.token(settings.get(Keys.UPLOAD_TOKEN_FILE), Keys.UPLOAD_TOKEN_FILE);
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (StoreLock lock = lock(path); MeasurementStore store = MeasurementStore.open(path);
                AgentMetrics metrics = new AgentMetrics(Version.current(), "", "", "")) {
            Clock clock = Clock.systemUTC();
            int queued = store.queueEverythingUnsent(clock.instant());
            Uploader uploader = new Uploader(store, new CollectorClient(collector, token, TIMEOUT),
                    new BandwidthBudget(settings.get(Keys.BANDWIDTH_PER_HOUR)), metrics, clock, new Random());
            Uploader.Pass pass = uploader.uploadDue();
            Map<String, Long> counts = store.uploadCounts();
            long waiting = counts.getOrDefault("pending", 0L);
            out.println(texts.t("upload.sentNow", collector, pass.sent()) + (pass.rejected() == 0 ? "" : texts.t("upload.refusedNow", pass.rejected()))
                    + (queued == 0 ? "" : texts.t("upload.queued", queued))
                    + texts.t("upload.inAll", counts.getOrDefault("sent", 0L), waiting, counts.getOrDefault("rejected", 0L)));
            out.flush();
            if (waiting > 0) {
                err.println("blockwatch: " + texts.t("upload.waiting", waiting, collector, store.lastUploadError().orElse(texts.t("upload.budget"))));
                return ExitCode.FAILURE;
            }
            return ExitCode.OK;
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private static StoreLock lock(Path store) {
        try {
            return StoreLock.acquire(store, "upload");
        } catch (StoreException e) {
            throw new InputException(e.getMessage() + " (a running agent sends by itself once upload.collector is set and it is restarted)", e);
        }
    }
}
