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
import java.time.ZoneId;
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
@Command(name = "status", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
        header = "Show what the agent knows: its network, its sweeps, the targets blocked first, the uploads waiting.",
        description = "Show the network the agent measures from (its AS and country once identified), whether it is online, "
                + "offline or restricted (and then what still works: the port-filtering helper's open channels), the resolvers found "
                + "answered by someone else, the last and the next sweep, every target by state with blocked ones first (method "
                + "and since when), and the uploads waiting. Read from the store, also while the agent runs. Exit 0 when the agent "
                + "answers on its metrics address, 3 when it does not (the status is then the store's), 2 when there is no store.")
final class StatusCommand implements Callable<Integer>, TakesSettings {
    /** The agent does not answer: the status is what its store last held. */
    static final int NOT_RUNNING = 3;
    /** Local time with the zone's offset, as the volunteer's clock shows it (quiet hours are local too). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");
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
            throw new InputException(Texts.ofEnvironment().t("status.noStore", path), null);
        }
        Instant now = Instant.now();
        boolean running = answers(settings.get(Keys.METRICS_LISTEN));
        try (MeasurementStore store = MeasurementStore.open(path)) {
            Optional<MeasurementStore.Latest> latest = store.latest();
            NetworkState network = store.networkState();
            Optional<MeasurementStore.NetworkRecord> networkRecord = store.networkRecord();
            // What still works, while restricted: the port-filtering helper's channels at its last check.
            Optional<MeasurementStore.NetworkRecord> stillOpen = networkRecord.filter(n -> n.state() == NetworkState.RESTRICTED
                    && n.channelsCheckedAt() != null);
            List<Intercepted> intercepted = intercepted(store.lastDnsInterception());
            Map<String, TargetState> states = store.currentStates();
            Map<String, Long> uploads = store.uploadCounts();
            Duration interval = settings.get(Keys.INTERVAL);
            Optional<Pause.Until> paused = Pause.ofStore(path, QuietHours.parse(settings.get(Keys.QUIET_HOURS))).at(now);
            Instant next = latest.map(l -> l.at().plus(interval)).orElse(null);
            List<TargetState> targets = new ArrayList<>(states.values());
            targets.sort(Comparator.comparing((TargetState t) -> ORDER.indexOf(t.state())).thenComparing(TargetState::changedAt,
                    Comparator.reverseOrder()));
            if (settings.get(Keys.JSON)) {
                ObjectMapper json = new ObjectMapper();
                ObjectNode o = json.createObjectNode();
                o.put("store", path.toString()).put("measurements", store.count()).put("agent_running", running);
                o.put("network_state", network == null ? NetworkState.ONLINE.label() : network.label());
                if (stillOpen.isPresent()) {
                    ObjectNode open = o.putObject("still_open");
                    stillOpen.get().openChannels().forEach(open.putArray("channels")::add);
                    open.put("checked_at", stillOpen.get().channelsCheckedAt().toString());
                } else {
                    o.putNull("still_open");
                }
                ArrayNode dns = o.putArray("dns_intercepted");
                for (Intercepted i : intercepted) {
                    dns.addObject().put("resolver", i.resolver()).put("engine", i.engine()).put("why", i.why()).put("measured_at", i.measuredAt().toString());
                }
                latest.ifPresent(l -> o.putObject("network").put("asn", l.asn()).put("cc", l.cc()).put("name", l.network()));
                o.put("last_measured", latest.map(l -> l.at().toString()).orElse(null));
                o.put("next_sweep_about", nextSweepAbout(next, paused).map(Instant::toString).orElse(null));
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
                Texts t = Texts.ofEnvironment();
                ZoneId zone = ZoneId.systemDefault();
                String metrics = Endpoint.of(settings.get(Keys.METRICS_LISTEN)).toString();
                List<String[]> lines = new ArrayList<>();
                lines.add(line(t, "agent", running ? t.t("status.running", metrics) : t.t("status.notAnswering", metrics)));
                // consent32: a consent missing or to an older text
                ConsentCommand.statusLine(t, settings).ifPresent(consent -> lines.add(line(t, "consent", consent)));
                lines.add(line(t, "store", t.t("status.store", path, t.n("status.measurements", store.count()))));
                lines.add(line(t, "network", latest.map(l -> l.asn() + " " + l.cc() + (l.network().isEmpty() ? "" : " (" + l.network() + ")"))
                        .orElse(t.t("status.notIdentified")) + ", " + t.label("network", network == null ? "online" : network.label())
                        + stillOpen.map(n -> t.t("status.stillOpen", n.openChannels().isEmpty() ? t.t("status.nothingOpen")
                                : String.join(", ", n.openChannels()), time(n.channelsCheckedAt(), zone))).orElse("")));
                for (Intercepted i : intercepted) lines.add(line(t, "dns", t.t("status.dns", i.resolver(), i.why(), time(i.measuredAt(), zone))));
                lines.add(line(t, "lastSweep", latest.map(l -> time(l.at(), zone) + " (" + ago(t, l.at(), now) + ")").orElse(t.t("status.noneYet"))));
                lines.add(line(t, "paused", paused.map(p -> (p.indefinite() ? t.t("status.untilResume")
                        : t.t("status.until", time(p.until(), zone))) + " (" + reason(t, p.reason()) + ")").orElse(t.t("status.no"))));
                lines.add(line(t, "nextSweep", nextSweep(t, next, paused, interval, zone)));
                if (!uploads.isEmpty()) {
                    lines.add(line(t, "uploads", t.t("status.uploads", uploads.getOrDefault("pending", 0L), uploads.getOrDefault("sent", 0L),
                            uploads.getOrDefault("rejected", 0L))));
                }
                lines.add(line(t, "targets", targets.size() + summary(t, targets)));
                TextTable.print(out, lines);
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {t.t("status.header.state"), t.t("status.header.method"), t.t("status.header.since"), t.t("status.header.target")});
                for (TargetState x : targets) {
                    rows.add(new String[] {t.label("state", x.state().label()), x.method() == null ? "-" : x.method().label(), time(x.changedAt(), zone), x.target()});
                }
                if (!targets.isEmpty()) TextTable.print(out, rows);
            }
            out.flush();
            return running ? ExitCode.OK : NOT_RUNNING;
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** A resolver found answered by someone else: where, over what, what shows it, and when the measurement that says so was made. */
    record Intercepted(String resolver, String engine, String why, Instant measuredAt) {}

    /**
     * The resolvers intercepted according to the newest web measurement that checked any
     * ({@code x_dns_intercepted}): read from the store, as everything {@code status} says.
     */
    static List<Intercepted> intercepted(Optional<MeasurementStore.DnsInterceptionRecord> record) {
        List<Intercepted> out = new ArrayList<>();
        if (record.isEmpty() || record.get().json() == null) return out;
        com.fasterxml.jackson.databind.JsonNode key;
        try {
            key = new ObjectMapper().readTree(record.get().json());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return out; // a document the store keeps as it came: nothing to say of it
        }
        for (com.fasterxml.jackson.databind.JsonNode r : key.path("resolvers")) {
            if (!"intercepted".equals(r.path("status").asText())) continue;
            String expected = null;
            List<String> answers = new ArrayList<>();
            String failure = null;
            for (com.fasterxml.jackson.databind.JsonNode signal : r.path("signals")) {
                if (!"identity".equals(signal.path("kind").asText()) || !"mismatch".equals(signal.path("outcome").asText())) continue;
                expected = signal.path("expected").asText(null);
                signal.path("answers").forEach(a -> answers.add(a.asText()));
                failure = signal.path("failure").isNull() ? null : signal.path("failure").asText(null);
            }
            out.add(new Intercepted(r.path("resolver_address").asText(), r.path("engine").asText(),
                    org.blockwatch.agent.run.InterceptionText.why(expected, answers, failure), record.get().measuredAt()));
        }
        return out;
    }

    /** A line of the status: its label (in the column of labels) and what it says. */
    private static String[] line(Texts t, String label, String value) {
        return new String[] {t.t("status.label." + label), value};
    }

    static String time(Instant at, ZoneId zone) {
        return TIME.format(at.atZone(zone));
    }

    /** When the next sweep starts, for --json: never inside a pause (its end, or none until 'resume'). */
    static Optional<Instant> nextSweepAbout(Instant next, Optional<Pause.Until> paused) {
        if (paused.isEmpty()) return Optional.ofNullable(next);
        if (paused.get().indefinite()) return Optional.empty();
        Instant end = paused.get().until();
        return Optional.of(next == null || next.isBefore(end) ? end : next);
    }

    /** When the next sweep starts: never announced inside a pause, whose end comes first. */
    private static String nextSweep(Texts t, Instant next, Optional<Pause.Until> paused, Duration interval, ZoneId zone) {
        if (paused.isPresent()) {
            if (paused.get().indefinite()) return t.t("status.afterResume");
            Instant end = paused.get().until();
            return t.t("status.afterPause", time(next == null || next.isBefore(end) ? end : next, zone));
        }
        return next == null ? t.t("status.whenStarts") : t.t("status.about", time(next, zone), Keys.INTERVAL.format(interval));
    }

    /** {@code : 18 blocked, 2 down, 5 accessible}, each count in the language's plural ({@code 18 сайтов заблокировано}). */
    static String summary(Texts t, List<TargetState> targets) {
        StringBuilder s = new StringBuilder();
        for (Status status : ORDER) {
            long n = targets.stream().filter(x -> x.state() == status).count();
            if (n > 0) s.append(s.isEmpty() ? ": " : ", ").append(t.n("status.count." + status.label(), n));
        }
        return s.toString();
    }

    private static String ago(Texts t, Instant then, Instant now) {
        long minutes = Duration.between(then, now).toMinutes();
        if (minutes < 1) return t.t("status.lessThanAMinute");
        if (minutes < 120) return t.n("status.minutesAgo", minutes);
        return t.n("status.hoursAgo", minutes / 60);
    }

    private static String reason(Texts t, String reason) {
        if (reason.equals("paused")) return t.t("pause.paused");
        if (reason.startsWith("quiet hours ")) return t.t("pause.quiet", reason.substring("quiet hours ".length()));
        return reason;
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
