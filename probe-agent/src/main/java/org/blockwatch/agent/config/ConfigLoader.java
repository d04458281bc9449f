package org.blockwatch.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.ip.AddressRange;

/**
 * Reads the agent's YAML configuration over the defaults, strictly: an unknown key, a value of
 * the wrong kind or out of range is rejected when the file loads, with the file, the line and the
 * key in the message.
 */
public final class ConfigLoader {
    private static final Set<String> KEYS = Set.of("consent", "targets.lists", "targets.categories", "schedule.interval",
            "schedule.jitter", "schedule.concurrency", "schedule.sweep_budget", "schedule.bandwidth_per_hour", "measurement.timeout",
            "measurement.body_limit", "measurement.resolver", "measurement.trust_ca", "control.helpers", "control.token_file",
            "metrics.listen", "store.path", "network.asn", "network.country", "network.name", "logging.format", "logging.level",
            "lab.public_ranges");
    private static final Set<String> SECTIONS = Set.of("targets", "schedule", "measurement", "control", "metrics", "store", "network",
            "logging", "lab");

    private final Path file;
    private final String text;
    private final Map<String, Integer> lines = new HashMap<>();

    private ConfigLoader(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The configuration of {@code file} over {@code defaults}. */
    public static AgentConfig load(Path file, AgentConfig defaults) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return new ConfigLoader(file, text).parse(defaults);
    }

    private AgentConfig parse(AgentConfig d) throws ConfigException {
        JsonNode root;
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try {
            recordLines(yaml.getFactory());
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(file + (at == null ? "" : ":" + at.getLineNr()) + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) return d;
        if (!root.isObject()) throw new ConfigException(file + ":1: expected a mapping of keys to values");
        checkKeys(root, "");
        Path base = file.toAbsolutePath().getParent();
        AgentConfig c = new AgentConfig(
                bool(root, "consent", d.consent()),
                strings(root, "targets.lists", d.targetLists()),
                strings(root, "targets.categories", d.categories()).stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(),
                duration(root, "schedule.interval", d.interval(), Duration.ofMinutes(1), Duration.ofDays(7)),
                duration(root, "schedule.jitter", d.jitter(), Duration.ZERO, Duration.ofDays(1)),
                integer(root, "schedule.concurrency", d.concurrency(), 1, 64),
                duration(root, "schedule.sweep_budget", d.sweepBudget(), Duration.ofSeconds(10), Duration.ofDays(7)),
                size(root, "schedule.bandwidth_per_hour", d.bandwidthPerHour(), 100_000, Long.MAX_VALUE),
                duration(root, "measurement.timeout", d.timeout(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                size(root, "measurement.body_limit", d.bodyLimit(), 0, 64L * 1024 * 1024),
                resolver(root, d.resolver()),
                paths(root, "measurement.trust_ca", d.trustCa(), base),
                strings(root, "control.helpers", d.controlHelpers()),
                path(root, "control.token_file", d.controlTokenFile(), base),
                string(root, "metrics.listen", d.metricsListen()),
                path(root, "store.path", d.storePath(), base),
                string(root, "network.asn", d.asn()),
                string(root, "network.country", d.country()),
                string(root, "network.name", d.networkName()),
                oneOf(root, "logging.format", d.logFormat(), List.of("text", "json")),
                oneOf(root, "logging.level", d.logLevel(), List.of("error", "warn", "info", "debug")),
                strings(root, "lab.public_ranges", d.publicRanges()));
        for (String r : c.publicRanges()) {
            try {
                AddressRange.parse(r);
            } catch (IllegalArgumentException e) {
                throw error("lab.public_ranges", e.getMessage());
            }
        }
        if (!c.asn().matches("AS\\d+")) throw error("network.asn", "'" + c.asn() + "' is not an AS number (e.g. AS9198)");
        if (!c.country().matches("[A-Z]{2}")) throw error("network.country", "'" + c.country() + "' is not a two-letter country code (e.g. KZ)");
        if (c.jitter().compareTo(c.interval()) > 0) throw error("schedule.jitter", "must not be longer than schedule.interval");
        return c;
    }

    /** Where each key is, by walking the YAML events once: the parser's contexts name the enclosing keys. */
    private void recordLines(com.fasterxml.jackson.core.JsonFactory factory) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.FIELD_NAME) continue;
                List<String> names = new ArrayList<>();
                for (JsonStreamContext c = p.getParsingContext(); c != null; c = c.getParent()) {
                    if (c.getCurrentName() != null) names.add(0, c.getCurrentName());
                }
                lines.putIfAbsent(String.join(".", names), p.currentTokenLocation().getLineNr());
            }
        }
    }

    private void checkKeys(JsonNode node, String prefix) throws ConfigException {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (SECTIONS.contains(key)) {
                if (e.getValue().isNull()) continue;
                if (!e.getValue().isObject()) throw error(key, "expected a section of keys");
                checkKeys(e.getValue(), key);
            } else if (!KEYS.contains(key)) {
                throw error(key, "unknown key" + suggestion(key));
            }
        }
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = 3;
        for (String k : KEYS) {
            int d = distance(k, key);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    private ConfigException error(String key, String what) {
        Integer line = lines.get(key);
        return new ConfigException(file + (line == null ? "" : ":" + line) + ": key '" + key + "': " + what);
    }

    private JsonNode at(JsonNode root, String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            n = n.get(part);
            if (n == null || n.isNull()) return null;
        }
        return n;
    }

    private String scalar(JsonNode root, String key) throws ConfigException {
        JsonNode n = at(root, key);
        if (n == null) return null;
        if (!n.isValueNode()) throw error(key, "expected a single value");
        return n.asText();
    }

    private boolean bool(JsonNode root, String key, boolean fallback) throws ConfigException {
        JsonNode n = at(root, key);
        if (n == null) return fallback;
        if (!n.isBoolean()) throw error(key, "expected true or false, not '" + n.asText() + "'");
        return n.booleanValue();
    }

    private String string(JsonNode root, String key, String fallback) throws ConfigException {
        String s = scalar(root, key);
        return s == null ? fallback : s.strip();
    }

    private String oneOf(JsonNode root, String key, String fallback, List<String> allowed) throws ConfigException {
        String s = string(root, key, fallback).toLowerCase(Locale.ROOT);
        if (!allowed.contains(s)) throw error(key, "'" + s + "' is not one of " + allowed);
        return s;
    }

    private int integer(JsonNode root, String key, int fallback, int min, int max) throws ConfigException {
        JsonNode n = at(root, key);
        if (n == null) return fallback;
        if (!n.canConvertToInt() || !n.isIntegralNumber()) throw error(key, "expected a whole number, not '" + n.asText() + "'");
        int v = n.intValue();
        if (v < min || v > max) throw error(key, v + " is out of range " + min + "-" + max);
        return v;
    }

    private Duration duration(JsonNode root, String key, Duration fallback, Duration min, Duration max) throws ConfigException {
        String s = scalar(root, key);
        if (s == null) return fallback;
        Duration d;
        try {
            d = Values.duration(s);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) throw error(key, s + " is out of range " + min + " to " + max);
        return d;
    }

    private long size(JsonNode root, String key, long fallback, long min, long max) throws ConfigException {
        String s = scalar(root, key);
        if (s == null) return fallback;
        long v;
        try {
            v = Values.size(s);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw error(key, e.getMessage() == null ? "'" + s + "' is too large" : e.getMessage());
        }
        if (v < min || v > max) throw error(key, s + " is out of range");
        return v;
    }

    private String resolver(JsonNode root, String fallback) throws ConfigException {
        String s = scalar(root, "measurement.resolver");
        if (s == null || s.isBlank() || s.equalsIgnoreCase("system")) return s == null ? fallback : null;
        try {
            ResolverAddress.parse(s);
        } catch (IllegalArgumentException e) {
            throw error("measurement.resolver", e.getMessage());
        }
        return s;
    }

    private List<String> strings(JsonNode root, String key, List<String> fallback) throws ConfigException {
        JsonNode n = at(root, key);
        if (n == null) return fallback;
        if (!n.isArray()) throw error(key, "expected a list (e.g. [a, b])");
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isValueNode() || item.isNull()) throw error(key, "every item must be a single value");
            out.add(item.asText().strip());
        }
        return out;
    }

    private Path path(JsonNode root, String key, Path fallback, Path base) throws ConfigException {
        String s = scalar(root, key);
        return s == null ? fallback : resolve(s, base);
    }

    private List<Path> paths(JsonNode root, String key, List<Path> fallback, Path base) throws ConfigException {
        JsonNode n = at(root, key);
        if (n == null) return fallback;
        List<Path> out = new ArrayList<>();
        for (String s : strings(root, key, List.of())) out.add(resolve(s, base));
        return out;
    }

    private static Path resolve(String s, Path base) {
        String expanded = s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s;
        Path p = Path.of(expanded);
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }
}
