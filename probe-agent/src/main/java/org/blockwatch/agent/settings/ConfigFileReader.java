package org.blockwatch.agent.settings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the agent's YAML configuration over settings, strictly, with the table's kinds: an
 * unknown key, a value of the wrong kind or out of range is rejected when the file loads, with
 * the file, the line and the key in the message. Relative paths are taken from the file's folder.
 */
final class ConfigFileReader {
    private static final Map<String, Key<?>> KEYS = Keys.inFile().stream().collect(Collectors.toMap(Key::name, k -> k));
    /** Every proper prefix of a key's name ("metrics", "metrics.remote_write"): a section, at any depth. */
    private static final Set<String> SECTIONS = KEYS.keySet().stream()
            .flatMap(k -> java.util.stream.IntStream.range(0, k.length()).filter(i -> k.charAt(i) == '.').mapToObj(i -> k.substring(0, i)))
            .collect(Collectors.toSet());

    private final Path file;
    private final String text;
    /** Where each key is: {line, column}, from 1. */
    private final Map<String, int[]> lines = new HashMap<>();
    private final List<SettingsException> problems = new ArrayList<>();
    /** The largest configuration file read. */
    static final long MAX_BYTES = 1 << 20;

    private ConfigFileReader(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** {@code base} with every key that {@code file} sets. */
    static Settings read(Path file, Settings base) {
        String text;
        try {
            // A configuration is a few kilobytes: anything much bigger is the wrong file, refused at once.
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                throw new SettingsException(file + ": " + Files.size(file) + " bytes; a configuration file is at most " + MAX_BYTES
                        + " (is this the right file?)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SettingsException(file + ": no such file");
        } catch (IOException e) {
            throw new SettingsException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return new ConfigFileReader(file, text).apply(base.fromFile(file)).checked(file + ": ");
    }

    private Settings apply(Settings s) {
        JsonNode root;
        // A key given twice is a mistake to show, not a value to let the second silently win.
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
        try {
            recordLines(yaml.getFactory());
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SettingsException(new YamlSyntax(file, text).explain(e));
        } catch (IOException e) {
            throw new SettingsException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) return s;
        if (!root.isObject()) throw new SettingsException(file + ":1: expected a mapping of keys to values");
        Map<String, JsonNode> given = new HashMap<>();
        collect(root, "", given);
        Path base = file.toAbsolutePath().getParent();
        for (Map.Entry<String, JsonNode> e : given.entrySet()) {
            Key<?> key = KEYS.get(e.getKey());
            try {
                s = s.withValue(key, value(key, e.getValue(), base));
            } catch (SettingsException wrong) {
                problems.add(wrong);
            }
        }
        // Every mistake of the file at once, in the file's order: a volunteer fixes them in one go.
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(this::lineOf));
            throw new SettingsException(String.join("\n", problems.stream().map(Throwable::getMessage).toList()));
        }
        return s;
    }

    private int lineOf(SettingsException e) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+):\\d+: key").matcher(e.getMessage());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private Object value(Key<?> key, JsonNode node, Path base) {
        List<String> texts = new ArrayList<>();
        if (key.repeatable()) {
            if (!node.isArray()) throw error(key.name(), "expected a list (e.g. [a, b])");
            for (JsonNode item : node) {
                if (!item.isValueNode() || item.isNull()) throw error(key.name(), "every item must be a single value");
                texts.add(item.asText());
            }
        } else {
            if (!node.isValueNode()) throw error(key.name(), "expected a single value");
            if (key.kind() instanceof Kind.Switch && !node.isBoolean()) throw error(key.name(), "expected true or false, not '" + node.asText() + "'");
            texts.add(node.asText());
        }
        Object value;
        try {
            value = key.parse(texts);
        } catch (IllegalArgumentException e) {
            throw error(key.name(), e.getMessage());
        }
        if (key == Keys.TARGET_LISTS) return listsRelativeTo((List<?>) value, base);
        return relativeTo(value, base);
    }

    /** {@code targets.lists}: a list that is a file (not {@code builtin:}) is relative to the file's folder, {@code ~/} to the home folder. */
    private static List<String> listsRelativeTo(List<?> lists, Path base) {
        List<String> out = new ArrayList<>();
        for (Object o : lists) {
            String list = o.toString();
            if (list.startsWith(org.blockwatch.agent.targets.TargetListLoader.BUILTIN) || list.isBlank()) {
                out.add(list);
                continue;
            }
            Path p = Path.of(list.startsWith("~/") ? System.getProperty("user.home") + list.substring(1) : list);
            out.add((p.isAbsolute() || base == null ? p : base.resolve(p)).toString());
        }
        return List.copyOf(out);
    }

    /** A relative path in the file is relative to the file's folder. */
    private static Object relativeTo(Object value, Path base) {
        if (value instanceof Path p) return p.isAbsolute() || base == null ? p : base.resolve(p);
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Path) {
            return list.stream().map(p -> relativeTo(p, base)).toList();
        }
        return value;
    }

    private void collect(JsonNode node, String prefix, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (SECTIONS.contains(key)) {
                if (e.getValue().isNull()) continue;
                if (!e.getValue().isObject()) problems.add(error(key, "expected a section of keys"));
                else collect(e.getValue(), key, out);
            } else if (!KEYS.containsKey(key)) {
                problems.add(error(key, "unknown key" + suggestion(key)));
            } else if (!e.getValue().isNull()) {
                out.put(key, e.getValue());
            }
        }
    }

    /**
     * Where each key is, by walking the YAML events once: the parser's contexts name the enclosing
     * keys. A key given twice in one section is refused here, where both places are known.
     */
    private void recordLines(JsonFactory factory) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            while (true) {
                JsonToken t;
                try {
                    t = p.nextToken();
                } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
                    if (e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate field")) throw e;
                    String key = path(p);
                    int[] first = lines.get(key);
                    // The parser is past the key; the key begins where its line's indentation ends.
                    int line = p.currentLocation().getLineNr();
                    String text = this.text.lines().skip(line - 1).findFirst().orElse("");
                    int column = text.length() - text.stripLeading().length() + 1;
                    throw new SettingsException(file + ":" + line + ":" + column + ": key '" + key + "' is given twice"
                            + (first == null ? "" : " (first on line " + first[0] + ")") + "; keep one");
                }
                if (t == null) break;
                if (t != JsonToken.FIELD_NAME) continue;
                JsonLocation at = p.currentTokenLocation();
                lines.putIfAbsent(path(p), new int[] {at.getLineNr(), at.getColumnNr()});
            }
        }
    }

    /** The dotted name of the parser's current key. */
    private static String path(JsonParser p) {
        List<String> names = new ArrayList<>();
        for (JsonStreamContext c = p.getParsingContext(); c != null; c = c.getParent()) {
            if (c.getCurrentName() != null) names.add(0, c.getCurrentName());
        }
        return String.join(".", names);
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = 3;
        for (String k : KEYS.keySet()) {
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

    private SettingsException error(String key, String what) {
        int[] at = lines.get(key);
        return new SettingsException(file + (at == null ? "" : ":" + at[0] + ":" + at[1]) + ": key '" + key + "': " + what);
    }
}
