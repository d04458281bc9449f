package org.blockwatch.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.blockwatch.agent.schedule.Pause;
import org.blockwatch.agent.schedule.QuietHours;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.store.TargetState;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.verdict.Verdict.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code blockwatch status}: what the agent knows, from its store (read while the agent runs; a
 * store is never created here) and whether the agent answers on its metrics address.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show what the agent knows: its network, its sweeps, the targets blocked first, the uploads waiting.",
        description = "Show the network the agent measures from (its AS and country once identified), whether it is online, "
                + "offline or restricted, the last and the next sweep, every target by state with blocked ones first (method "
                + "and since when), and the uploads waiting. Read from the store, also while the agent runs. Exit 0 when the agent "
                + "answers on its metrics address, 3 when it does not (the status is then the store's), 2 when there is no store.")
final class StatusCommand implements Callable<Integer>, TakesSettings {
    /** The agent does not answer: the status is what its store last held. */
    static final int NOT_RUNNING = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final List<Status> ORDER = List.of(Status.BLOCKED, Status.DOWN, Status.INCONCLUSIVE, Status.ACCESSIBLE);

    @Spec
    CommandSpec spec;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONFIG, Keys.STORE, Keys.METRICS_LISTEN, Keys.JSON);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        PrintWriter out = spec.commandLine().getOut();
        Path path = settings.storePath();
        if (!Files.exists(path)) {
            throw new InputException("no store at " + path + ": the agent has not measured yet (or give --store, or --config)", null);
        }
        Instant now = Instant.now();
        boolean running = answers(settings.get(Keys.METRICS_LISTEN));
        try (MeasurementStore store = MeasurementStore.open(path)) {
            Optional<MeasurementStore.Latest> latest = store.latest();
            NetworkState network = store.networkState();
            Map<String, TargetState> states = store.currentStates();
            Map<String, Long> uploads = store.uploadCounts();
            Duration interval = settings.get(Keys.INTERVAL);
            Optional<Pause.Until> paused = new Pause(Pause.fileOf(path), QuietHours.parse(settings.get(Keys.QUIET_HOURS)),
                    java.time.ZoneId.systemDefault()).at(now);
            Instant next = latest.map(l -> l.at().plus(interval)).orElse(null);
            List<TargetState> targets = new ArrayList<>(states.values());
            targets.sort(Comparator.comparing((TargetState t) -> ORDER.indexOf(t.state())).thenComparing(TargetState::changedAt,
                    Comparator.reverseOrder()));
            if (settings.get(Keys.JSON)) {
                ObjectMapper json = new ObjectMapper();
                ObjectNode o = json.createObjectNode();
                o.put("store", path.toString()).put("measurements", store.count()).put("agent_running", running);
                o.put("network_state", network == null ? NetworkState.ONLINE.label() : network.label());
                latest.ifPresent(l -> o.putObject("network").put("asn", l.asn()).put("cc", l.cc()).put("name", l.network()));
                o.put("last_measured", latest.map(l -> l.at().toString()).orElse(null));
                o.put("next_sweep_about", next == null ? null : next.toString());
                if (paused.isPresent()) {
                    o.putObject("paused").put("until", paused.get().indefinite() ? null : paused.get().until().toString())
                            .put("reason", paused.get().reason());
                } else {
                    o.putNull("paused");
                }
                ObjectNode up = o.putObject("uploads");
                uploads.forEach(up::put);
                ArrayNode list = o.putArray("targets");
                for (TargetState t : targets) {
                    list.addObject().put("target", t.target()).put("category", t.category()).put("state", t.state().label())
                            .put("method", t.method() == null ? null : t.method().label()).put("since", t.changedAt().toString())
                            .put("last_measured", t.lastMeasuredAt() == null ? null : t.lastMeasuredAt().toString());
                }
                out.println(json.writeValueAsString(o));
            } else {
                out.println("Agent:       " + (running ? "running (metrics on " + Endpoint.of(settings.get(Keys.METRICS_LISTEN)) + ")"
                        : "not answering on " + Endpoint.of(settings.get(Keys.METRICS_LISTEN)) + " (stopped?); what follows is the store's"));
                out.println("Store:       " + path + " (" + store.count() + " measurements)");
                out.println("Network:     " + latest.map(l -> l.asn() + " " + l.cc() + (l.network().isEmpty() ? "" : " (" + l.network() + ")"))
                        .orElse("not identified yet") + ", " + (network == null ? "online" : network.label()));
                out.println("Last sweep:  " + latest.map(l -> TIME.format(l.at()) + " (" + ago(l.at(), now) + ")").orElse("none yet"));
                out.println("Paused:      " + paused.map(p -> (p.indefinite() ? "until 'blockwatch resume'"
                        : "until " + PauseCommand.LOCAL.format(p.until().atZone(java.time.ZoneId.systemDefault()))) + " (" + p.reason() + ")")
                        .orElse("no"));
                out.println("Next sweep:  " + (next == null ? "when the agent starts" : "about " + TIME.format(next) + " (every " + Keys.INTERVAL.format(interval) + ")"));
                if (!uploads.isEmpty()) {
                    out.println("Uploads:     " + uploads.getOrDefault("pending", 0L) + " waiting, " + uploads.getOrDefault("sent", 0L) + " sent, "
                            + uploads.getOrDefault("rejected", 0L) + " rejected");
                }
                out.println("Targets:     " + targets.size() + summary(targets));
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"STATE", "METHOD", "SINCE", "TARGET"});
                for (TargetState t : targets) {
                    rows.add(new String[] {t.state().label(), t.method() == null ? "-" : t.method().label(), TIME.format(t.changedAt()), t.target()});
                }
                if (!targets.isEmpty()) TextTable.print(out, rows);
            }
            out.flush();
            return running ? ExitCode.OK : NOT_RUNNING;
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private static String summary(List<TargetState> targets) {
        StringBuilder s = new StringBuilder();
        for (Status status : ORDER) {
            long n = targets.stream().filter(t -> t.state() == status).count();
            if (n > 0) s.append(s.isEmpty() ? ": " : ", ").append(n).append(' ').append(status.label());
        }
        return s.toString();
    }

    private static String ago(Instant then, Instant now) {
        long minutes = Duration.between(then, now).toMinutes();
        if (minutes < 1) return "less than a minute ago";
        if (minutes < 120) return minutes + " min ago";
        return minutes / 60 + " h ago";
    }

    /** Whether an agent answers on its metrics address (loopback; one short request). */
    private static boolean answers(InetSocketAddress listen) {
        InetSocketAddress target = listen.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), listen.getPort()) : listen;
        try {
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(1)).build();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + Endpoint.of(target) + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
