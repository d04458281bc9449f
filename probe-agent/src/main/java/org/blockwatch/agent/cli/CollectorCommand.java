package org.blockwatch.agent.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.collector.CollectorServer;
import org.blockwatch.collector.CollectorStore;
import org.blockwatch.collector.DatabaseUrl;
import org.blockwatch.core.ip.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch collector}: receives probes' measurements (OONI's collector protocol) into PostgreSQL, until stopped. */
@Command(name = "collector", mixinStandardHelpOptions = true,
        header = "Receive measurements from probes and store them in PostgreSQL.",
        description = "Receive measurements from probes (OONI's collector protocol, bk-003) and store them in PostgreSQL. "
                + "Probes send to it with upload.collector in their configuration.")
final class CollectorCommand implements Callable<Integer>, TakesSettings {
    private static final Logger log = LoggerFactory.getLogger(CollectorCommand.class);
    /** Database connections at most. */
    static final int POOL = 16;

    @Spec
    CommandSpec spec;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.COLLECTOR_LISTEN, Keys.COLLECTOR_DATABASE, Keys.COLLECTOR_TOKENS, Keys.COLLECTOR_MAX_SUBMISSION, Keys.COLLECTOR_RATE,
                Keys.COLLECTOR_TRUSTED_PROXIES, Keys.COLLECTOR_READ_TOKEN, Keys.COLLECTOR_CONNECTIONS_PER_ADDRESS, Keys.COLLECTOR_TLS_CERT,
                Keys.COLLECTOR_TLS_KEY, Keys.COLLECTOR_ACCESS_LOG);
    }

    /** {@code PROBE TOKEN} per line; blank lines and {@code #} comments skipped; a bad line is named. */
    static Map<String, String> tokens(Path file) {
        Map<String, String> tokens = new LinkedHashMap<>();
        if (file == null) return tokens;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new InputException("--tokens-file " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || parts[1].length() < 16) {
                throw new InputException("--tokens-file " + file + ":" + (i + 1) + ": expected 'PROBE TOKEN' with a token of 16 characters or more", null);
            }
            if (tokens.put(parts[0], parts[1]) != null) throw new InputException("--tokens-file " + file + ":" + (i + 1) + ": probe " + parts[0] + " twice", null);
        }
        if (tokens.isEmpty()) throw new InputException("--tokens-file " + file + ": no tokens", null);
        return tokens;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        String database = settings.get(Keys.COLLECTOR_DATABASE);
        if (database == null) throw new InputException("--database is needed: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB", null);
        InetSocketAddress address = settings.get(Keys.COLLECTOR_LISTEN);
        Map<String, String> tokens = tokens(settings.get(Keys.COLLECTOR_TOKENS));
        String readToken = org.blockwatch.agent.settings.ProbeFactory.token(settings.get(Keys.COLLECTOR_READ_TOKEN), Keys.COLLECTOR_READ_TOKEN);
        if (readToken != null && tokens.isEmpty()) throw new InputException("--read-token-file needs --tokens-file (without tokens, measurements are public)", null);
        java.util.Set<String> proxies = ControlServerCommand.proxies(settings, Keys.COLLECTOR_TRUSTED_PROXIES);
        org.blockwatch.helper.http.PublicServer.Options options = ControlServerCommand.serverOptions(address,
                settings.get(Keys.COLLECTOR_CONNECTIONS_PER_ADDRESS), settings.get(Keys.COLLECTOR_TLS_CERT), settings.get(Keys.COLLECTOR_TLS_KEY),
                settings.get(Keys.COLLECTOR_ACCESS_LOG));
        CountDownLatch stopped = new CountDownLatch(1);
        CollectorStore store;
        try {
            store = new CollectorStore(DatabaseUrl.jdbc(database), POOL);
        } catch (RuntimeException e) {
            throw new InputException("--database " + DatabaseUrl.shown(database) + ": " + e.getMessage(), e);
        }
        int maxSubmission = Math.toIntExact(settings.get(Keys.COLLECTOR_MAX_SUBMISSION));
        try (store; CollectorServer server = new CollectorServer(options, store, new CollectorServer.Limits(maxSubmission, settings.get(Keys.COLLECTOR_RATE),
                tokens, readToken, proxies, CollectorServer.Limits.defaultBodyBytes(maxSubmission)))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "collector-stop"));
            log.info("collector listening on {}{}", Endpoint.of(server.address()), tokens.isEmpty() ? "" : " (" + tokens.size() + " probe tokens)");
            spec.commandLine().getOut().println("collector listening on " + server.scheme() + "://" + Endpoint.of(server.address()) + "/");
            spec.commandLine().getOut().flush();
            stopped.await();
        } catch (IOException e) {
            throw new InputException("--listen " + Endpoint.of(address) + ": " + e.getMessage(), e);
        }
        return ExitCode.OK;
    }
}
