package org.blockwatch.core.signature;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.HttpHeaders;

/**
 * OONI's blockpage and DNS fingerprints, matched in one pass per body or header value.
 *
 * <p>All body patterns (contains, prefix, full, and a literal taken from each regexp) go into one
 * {@link ByteAutomaton}; a hit is then checked against its type (a prefix must start at 0, a full
 * pattern must span the body, a regexp runs only where its literal was found). Header patterns
 * get one small automaton per header name. DNS fingerprints are exact answers. Immutable and
 * thread-safe; {@link #bundled()} is loaded once.
 */
public final class FingerprintSet {
    private static final String HTTP_RESOURCE = "fingerprints_http.csv";
    private static final String DNS_RESOURCE = "fingerprints_dns.csv";
    private static volatile FingerprintSet bundled;

    private final List<Fingerprint> bodyFingerprints;
    private final Pattern[] bodyRegexps; // null where the fingerprint is not a regexp
    private final List<Map.Entry<Fingerprint, Pattern>> unanchoredRegexps;
    private final ByteAutomaton body;
    /** What {@link #body} scans for, in its order (kept for {@link #bodyLiterals}). */
    private final List<byte[]> bodyLiterals;
    private final Map<String, HeaderMatcher> headers;
    private final Map<String, List<Fingerprint>> dns;
    private final int size;

    private record HeaderMatcher(List<Fingerprint> fingerprints, ByteAutomaton automaton) {}

    FingerprintSet(List<Fingerprint> all) {
        List<Fingerprint> bodyList = new ArrayList<>();
        List<byte[]> bodyPatterns = new ArrayList<>();
        Map<String, List<Fingerprint>> byHeader = new HashMap<>();
        Map<String, List<Fingerprint>> dnsMap = new HashMap<>();
        List<Fingerprint> unanchored = new ArrayList<>();
        for (Fingerprint f : all) {
            if (f.location().equals("body")) {
                byte[] literal = f.type().equals("regexp") ? RegexLiteral.longest(f.pattern()) : utf8(f.pattern());
                if (literal.length < 3) {
                    // Too short to anchor the one-pass scan on: such an expression runs on its own.
                    if (f.type().equals("regexp")) unanchored.add(f);
                    else if (literal.length > 0) {
                        bodyList.add(f);
                        bodyPatterns.add(literal);
                    }
                    continue;
                }
                bodyList.add(f);
                bodyPatterns.add(literal);
            } else if (f.location().equals("dns")) {
                dnsMap.computeIfAbsent(f.pattern().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f);
            } else if (f.location().startsWith("header.")) {
                byHeader.computeIfAbsent(f.location().substring("header.".length()), k -> new ArrayList<>()).add(f);
            }
        }
        this.bodyFingerprints = List.copyOf(bodyList);
        this.unanchoredRegexps = unanchored.stream().map(f -> Map.entry(f, compile(f.pattern()))).toList();
        this.bodyRegexps = new Pattern[bodyList.size()];
        for (int i = 0; i < bodyList.size(); i++) {
            if (bodyList.get(i).type().equals("regexp")) bodyRegexps[i] = compile(bodyList.get(i).pattern());
        }
        this.body = new ByteAutomaton(bodyPatterns);
        this.bodyLiterals = List.copyOf(bodyPatterns);
        Map<String, HeaderMatcher> headerMatchers = new HashMap<>();
        byHeader.forEach((name, list) -> headerMatchers.put(name,
                new HeaderMatcher(List.copyOf(list), new ByteAutomaton(list.stream().map(f -> utf8(f.pattern())).toList()))));
        this.headers = Map.copyOf(headerMatchers);
        this.dns = Map.copyOf(dnsMap);
        this.size = all.size();
    }

    /** The set shipped with blockwatch (OONI's blocking-fingerprints). */
    public static FingerprintSet bundled() {
        FingerprintSet set = bundled;
        if (set == null) {
            synchronized (FingerprintSet.class) {
                if (bundled == null) bundled = new FingerprintSet(bundledFingerprints());
                set = bundled;
            }
        }
        return set;
    }

    /** Every fingerprint of the bundled set, as read (for baselines and reports). */
    public static List<Fingerprint> bundledFingerprints() {
        List<Fingerprint> all = new ArrayList<>(read(HTTP_RESOURCE));
        all.addAll(read(DNS_RESOURCE));
        return all;
    }

    public int size() {
        return size;
    }

    /**
     * The byte strings the one-pass body scan looks for: each body pattern, and the longest
     * literal of each expression (for benchmarks that compare other multi-pattern engines on the
     * same work).
     */
    public List<byte[]> bodyLiterals() {
        return bodyLiterals.stream().map(byte[]::clone).toList();
    }

    /** Every fingerprint whose pattern is in {@code bytes}, in fingerprint order, each once. */
    public List<Fingerprint> matchBody(byte[] bytes) {
        Set<Integer> hits = new LinkedHashSet<>();
        // Expressions need text: the body is decoded once, and only if one has to run.
        java.util.function.Supplier<String> text = new java.util.function.Supplier<>() {
            private String decoded;

            @Override
            public String get() {
                if (decoded == null) decoded = new String(bytes, StandardCharsets.UTF_8);
                return decoded;
            }
        };
        // An expression's answer does not depend on where its literal was seen (it looks at the whole
        // text): asked once per body, not at every sighting, or a page repeating the literal of an
        // expression that does not match would cost a scan of the whole text per repetition.
        Set<Integer> refused = new java.util.HashSet<>();
        body.scan(bytes, 0, bytes.length, (p, end) -> {
            if (hits.contains(p) || refused.contains(p)) return true;
            if (bodyHit(p, end, bytes, text)) hits.add(p);
            else if (bodyRegexps[p] != null) refused.add(p);
            return true;
        });
        List<Fingerprint> found = new ArrayList<>(hits.stream().sorted().map(bodyFingerprints::get).toList());
        for (var e : unanchoredRegexps) {
            if (e.getValue().matcher(text.get()).find()) found.add(e.getKey());
        }
        return found;
    }

    private boolean bodyHit(int p, int end, byte[] bytes, java.util.function.Supplier<String> text) {
        Fingerprint f = bodyFingerprints.get(p);
        int start = end - body.patternLength(p);
        return switch (f.type()) {
            case "prefix" -> start == 0;
            case "full" -> start == 0 && end == bytes.length;
            case "regexp" -> bodyRegexps[p].matcher(text.get()).find();
            default -> true;
        };
    }

    /** Every header fingerprint matching a header as received. */
    public List<Fingerprint> matchHeaders(HttpHeaders received) {
        List<Fingerprint> found = new ArrayList<>();
        for (List<String> header : received.list()) {
            HeaderMatcher m = headers.get(header.get(0).toLowerCase(Locale.ROOT));
            if (m == null) continue;
            byte[] value = utf8(header.get(1));
            m.automaton().scan(value, 0, value.length, (p, end) -> {
                Fingerprint f = m.fingerprints().get(p);
                int start = end - m.automaton().patternLength(p);
                boolean hit = switch (f.type()) {
                    case "prefix" -> start == 0;
                    case "full" -> start == 0 && end == value.length;
                    default -> true;
                };
                if (hit && !found.contains(f)) found.add(f);
                return true;
            });
        }
        return found;
    }

    /** The fingerprints of a DNS answer (an address or a CNAME target). */
    public List<Fingerprint> matchDns(String answer) {
        String key = answer.toLowerCase(Locale.ROOT);
        if (key.endsWith(".")) key = key.substring(0, key.length() - 1);
        return dns.getOrDefault(key, List.of());
    }

    /**
     * The fingerprints' expressions are written for Python's re, which reads a brace that opens
     * no quantifier as a literal; Java's does not, so such braces are escaped.
     */
    static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex, Pattern.DOTALL);
        } catch (java.util.regex.PatternSyntaxException e) {
            return Pattern.compile(regex.replaceAll("\\{(?!\\d+(,\\d*)?\\})", "\\\\{"), Pattern.DOTALL);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Fingerprint> read(String resource) {
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (InputStream in = FingerprintSet.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            List<Fingerprint> out = new ArrayList<>();
            int line = 1;
            try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class).with(schema).readValues(in)) {
                while (rows.hasNext()) {
                    Map<String, String> r = rows.next();
                    line++;
                    String pattern = r.get("pattern");
                    if (pattern == null || pattern.isEmpty()) throw new IllegalStateException(resource + " row " + line + ": empty pattern");
                    out.add(new Fingerprint(r.get("name"), r.getOrDefault("scope", ""), r.get("location_found").toLowerCase(Locale.ROOT),
                            r.get("pattern_type"), pattern, parseInt(r.get("confidence_no_fp"))));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static int parseInt(String s) {
        try {
            return s == null || s.isBlank() ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
