package org.blockwatch.core.archival;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the probe's own addresses with {@code [scrubbed]}, as OONI does, wherever they appear
 * in a measurement's text: bodies, titles, headers, cookies, URLs, failure strings. A server that
 * echoes its client's address cannot put it in the evidence. Each address is found in its
 * canonical and its other forms:
 *
 * <ul>
 *   <li>IPv4: the dotted quad with each part in decimal (zero-padded too: {@code 192.000.002.002}),
 *       octal ({@code 0300}) or hex ({@code 0xc0}), its parts joined by dots or dashes (host names
 *       such as {@code 192-0-2-2.dyn.example}), reversed before {@code .in-addr.arpa}, and the
 *       32-bit number in decimal ({@code 3221226018}) or hex ({@code 0xc0000202});
 *   <li>IPv6: any text form that parses to the address (full, compressed, zeros written or not,
 *       any case), its nibbles reversed before {@code .ip6.arpa}; and an IPv4 address's IPv6
 *       forms: mapped ({@code ::ffff:192.0.2.2}, {@code ::ffff:c000:202}), compatible, NAT64
 *       ({@code 64:ff9b::}).
 * </ul>
 *
 * <p>A body that is not UTF-8 (OONI's {@code {"format":"base64","data":...}}) is decoded and
 * scrubbed too: in the charset its {@code Content-Type} declares, byte for byte as ASCII text
 * (which every single-byte charset and UTF-8 extend: windows-1251, latin-1, KOI8-R...), and as
 * UTF-16 either way round; then encoded again, every other byte as it was. Loopback addresses are
 * not the probe's to hide (every lab uses them), so they are left alone. Immutable.
 */
public final class ProbeAddressScrubber {
    public static final String SCRUBBED = "[scrubbed]";
    public static final ProbeAddressScrubber NONE = new ProbeAddressScrubber(Set.of());
    /** A run of characters an IPv6 address (perhaps with an IPv4 tail) is written with. */
    private static final Pattern V6_RUN = Pattern.compile("[0-9A-Fa-f:.]+");
    /** 32 nibbles, reversed, of an ip6.arpa name. */
    private static final Pattern IP6_ARPA = Pattern.compile("(?<![0-9A-Fa-f]\\.)((?:[0-9A-Fa-f]\\.){32})(?=ip6\\.arpa)", Pattern.CASE_INSENSITIVE);
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** The IPv4 addresses' forms; null without IPv4 addresses. */
    private final Pattern pattern;
    private final int count;
    private final boolean any;
    /** The 16 bytes (hex) of every IPv6 address to scrub, and of each IPv4 address's IPv6 forms. */
    private final Set<String> v6;
    /** The 4 bytes (hex) of every IPv4 address to scrub. */
    private final Set<String> v4;

    private ProbeAddressScrubber(Set<InetAddress> addresses) {
        Set<String> forms = new LinkedHashSet<>();
        Set<String> v6 = new java.util.HashSet<>();
        Set<String> v4 = new java.util.HashSet<>();
        Set<String> own = new java.util.HashSet<>();
        for (InetAddress a : addresses) {
            if (a == null || a.isLoopbackAddress() || a.isAnyLocalAddress()) continue;
            own.add(HEX.formatHex(a.getAddress()));
            if (a instanceof Inet4Address) {
                byte[] b = a.getAddress();
                v4.add(HEX.formatHex(b));
                String[] part = new String[4];
                for (int i = 0; i < 4; i++) part[i] = octet(b[i] & 0xff);
                String sep = "[.-]";
                forms.add("(?<![0-9])(?<![0-9][.-])" + part[0] + sep + part[1] + sep + part[2] + sep + part[3] + "(?![0-9])(?![.-][0-9])");
                forms.add("(?<![0-9])(?<![0-9]\\.)" + part[3] + "\\." + part[2] + "\\." + part[1] + "\\." + part[0] + "(?=\\.in-addr\\.arpa)");
                long n = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
                forms.add("(?<![0-9])" + n + "(?![0-9])|(?<![0-9A-Za-z])0x0*" + Long.toHexString(n) + "(?![0-9A-Fa-f])");
                for (String prefix : List.of("00000000000000000000ffff", "000000000000000000000000", "0064ff9b0000000000000000")) v6.add(prefix + HEX.formatHex(b));
            }
            if (a instanceof Inet6Address) v6.add(HEX.formatHex(a.getAddress())); // found by parsing (scrubV6)
        }
        this.v6 = Set.copyOf(v6);
        this.v4 = Set.copyOf(v4);
        this.count = own.size();
        this.any = !v4.isEmpty() || !v6.isEmpty();
        this.pattern = forms.isEmpty() ? null : Pattern.compile(String.join("|", forms), Pattern.CASE_INSENSITIVE);
    }

    /** One part of a dotted quad, in decimal (zero-padded or not), octal or hex. */
    private static String octet(int v) {
        String decimal = v == 0 ? "0+" : "0*" + v;
        String octal = v == 0 ? "" : "|0+" + Integer.toOctalString(v);
        return "(?:" + decimal + octal + "|0x0*" + Integer.toHexString(v) + ")";
    }

    /** A scrubber of {@code addresses} (the probe's public address, say) and every address of this machine's interfaces. */
    public static ProbeAddressScrubber ofThisMachineAnd(Collection<InetAddress> addresses) {
        Set<InetAddress> all = new LinkedHashSet<>(addresses);
        try {
            for (NetworkInterface i : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                all.addAll(java.util.Collections.list(i.getInetAddresses()));
            }
        } catch (SocketException e) {
            // No interface list: the public address is still scrubbed.
        }
        return new ProbeAddressScrubber(all);
    }

    public static ProbeAddressScrubber of(Collection<InetAddress> addresses) {
        return new ProbeAddressScrubber(new LinkedHashSet<>(addresses));
    }

    /** What a scrub did: the text, and how many addresses were replaced. */
    public record Scrubbed(String text, int replaced) {}

    public Scrubbed scrub(String text) {
        if (!any) return new Scrubbed(text, 0);
        // IPv6 first: an IPv4 address written in an IPv6 form goes whole, not just its tail.
        Scrubbed v6forms = scrubV6(text);
        Scrubbed arpa = scrubIp6Arpa(v6forms.text());
        Scrubbed v4forms = pattern == null ? new Scrubbed(arpa.text(), 0) : replace(pattern.matcher(arpa.text()), arpa.text());
        return new Scrubbed(v4forms.text(), v4forms.replaced() + arpa.replaced() + v6forms.replaced());
    }

    private static Scrubbed replace(Matcher m, String text) {
        StringBuilder out = null;
        int replaced = 0;
        while (m.find()) {
            if (out == null) out = new StringBuilder(text.length());
            m.appendReplacement(out, Matcher.quoteReplacement(SCRUBBED));
            replaced++;
        }
        if (out == null) return new Scrubbed(text, 0);
        m.appendTail(out);
        return new Scrubbed(out.toString(), replaced);
    }

    /** ip6.arpa names: 32 reversed nibbles that are one of the addresses. */
    private Scrubbed scrubIp6Arpa(String text) {
        if (v6.isEmpty() || text.length() < 72 || !text.toLowerCase(java.util.Locale.ROOT).contains("ip6.arpa")) {
            return new Scrubbed(text, 0);
        }
        Matcher m = IP6_ARPA.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int replaced = 0, last = 0;
        while (m.find()) {
            String nibbles = m.group(1).replace(".", "");
            String hex = new StringBuilder(nibbles).reverse().toString().toLowerCase(java.util.Locale.ROOT);
            if (!v6.contains(hex)) continue;
            out.append(text, last, m.start(1)).append(SCRUBBED).append('.');
            last = m.end(1);
            replaced++;
        }
        if (replaced == 0) return new Scrubbed(text, 0);
        out.append(text, last, text.length());
        return new Scrubbed(out.toString(), replaced);
    }

    /**
     * IPv6 text in any form: each run of hex digits, colons and dots with two colons or more is
     * parsed (and the parts of it between colons or dots, for a run that starts or ends with text
     * that is not the address's), and the longest part that is one of the addresses is replaced.
     */
    private Scrubbed scrubV6(String text) {
        if (text.indexOf(':') < 0) return new Scrubbed(text, 0);
        Matcher m = V6_RUN.matcher(text);
        StringBuilder out = null;
        int replaced = 0, last = 0;
        while (m.find()) {
            String run = m.group();
            if (run.length() < 2 || run.chars().filter(c -> c == ':').count() < 2) continue;
            int[] span = longestAddress(run);
            if (span == null) continue;
            if (out == null) out = new StringBuilder(text.length());
            out.append(text, last, m.start() + span[0]).append(SCRUBBED);
            last = m.start() + span[1];
            replaced++;
        }
        if (out == null) return new Scrubbed(text, 0);
        out.append(text, last, text.length());
        return new Scrubbed(out.toString(), replaced);
    }

    /** The span of the longest part of {@code run} that parses to one of the addresses, or null. */
    private int[] longestAddress(String run) {
        if (run.length() > 200) return null; // longer than any address in any form, by far
        // A run that is an address as a whole is that address, not one of its parts (fd00::2:0 is not fd00::2).
        String whole = run.endsWith(".") ? run.substring(0, run.length() - 1) : run;
        if (org.blockwatch.core.ip.IpLiteral.parse(whole).isPresent()) return isOneOfTheAddresses(whole) ? new int[] {0, whole.length()} : null;
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        starts.add(0);
        // Text that runs into the address's first group (aFD00::2: a word ending in a hex letter).
        for (int i = 1; i < run.length() && run.charAt(i) != ':' && run.charAt(i) != '.'; i++) starts.add(i);
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (c == ':' || c == '.') {
                ends.add(i);
                if (i + 1 < run.length()) starts.add(i + 1);
            }
        }
        ends.add(run.length());
        // Text that runs on from the address's last group (fd00::2abcde: not an address as a whole).
        for (int i = run.length() - 1; i > 0 && run.charAt(i - 1) != ':' && run.charAt(i - 1) != '.'; i--) ends.add(i);
        int[] best = null;
        for (int s : starts) {
            // "::" at the start of an address: a start just before a colon that follows another
            for (int from : s > 0 && run.charAt(s) == ':' && run.charAt(s - 1) == ':' ? new int[] {s, s - 1} : new int[] {s}) {
                for (int e : ends) {
                    if (e - from < 2 || e - from > 46 || (best != null && e - from <= best[1] - best[0])) continue; // 45: an address's longest form
                    int to = e < run.length() && run.charAt(e) == ':' && e > 0 && run.charAt(e - 1) == ':' ? e + 1 : e;
                    String candidate = run.substring(from, Math.min(to, run.length()));
                    if (candidate.chars().filter(c -> c == ':').count() < 2) continue;
                    if (isOneOfTheAddresses(candidate)) best = new int[] {from, Math.min(to, run.length())};
                }
            }
        }
        return best;
    }

    private boolean isOneOfTheAddresses(String candidate) {
        java.util.Optional<InetAddress> a = org.blockwatch.core.ip.IpLiteral.parse(candidate);
        if (a.isEmpty()) return false;
        String hex = HEX.formatHex(a.get().getAddress());
        return a.get() instanceof Inet4Address ? v4.contains(hex) : v6.contains(hex);
    }

    /**
     * A body's bytes that are not UTF-8, scrubbed: as text in {@code declared} (when it decodes
     * and encodes back to the same bytes), as ASCII-compatible text (each byte a character), and
     * as UTF-16 both ways round at both alignments. Every byte not part of an address stays.
     */
    public ScrubbedBytes scrub(byte[] body, java.nio.charset.Charset declared) {
        if (!any) return new ScrubbedBytes(body, 0);
        byte[] b = body;
        int replaced = 0;
        if (declared != null) {
            try {
                String text = declared.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
                if (java.util.Arrays.equals(text.getBytes(declared), b)) {
                    Scrubbed s = scrub(text);
                    if (s.replaced() > 0) {
                        b = s.text().getBytes(declared);
                        replaced += s.replaced();
                    }
                }
            } catch (java.nio.charset.CharacterCodingException | UnsupportedOperationException e) {
                // not text in the declared charset: the views below still look
            }
        }
        Scrubbed bytewise = scrub(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        if (bytewise.replaced() > 0) {
            b = bytewise.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            replaced += bytewise.replaced();
        }
        for (boolean bigEndian : new boolean[] {true, false}) {
            for (int offset = 0; offset < 2; offset++) {
                if (b.length - offset < 4) continue;
                int n = (b.length - offset) / 2;
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    int hi = b[offset + 2 * i] & 0xff, lo = b[offset + 2 * i + 1] & 0xff;
                    chars[i] = (char) (bigEndian ? (hi << 8 | lo) : (lo << 8 | hi));
                }
                Scrubbed wide = scrub(new String(chars));
                if (wide.replaced() == 0) continue;
                String t = wide.text();
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length + 32);
                out.write(b, 0, offset);
                for (int i = 0; i < t.length(); i++) {
                    char c = t.charAt(i);
                    if (bigEndian) {
                        out.write(c >> 8);
                        out.write(c & 0xff);
                    } else {
                        out.write(c & 0xff);
                        out.write(c >> 8);
                    }
                }
                out.write(b, offset + 2 * n, b.length - offset - 2 * n);
                b = out.toByteArray();
                replaced += wide.replaced();
            }
        }
        return new ScrubbedBytes(b, replaced);
    }

    /** What a scrub of bytes did: the bytes, and how many addresses were replaced. */
    public record ScrubbedBytes(byte[] bytes, int replaced) {}

    /** The charset a response's {@code Content-Type} (in OONI's {@code headers} map) declares, or null. */
    private static java.nio.charset.Charset declaredCharset(JsonNode response) {
        JsonNode headers = response.get("headers");
        if (headers == null || !headers.isObject()) return null;
        for (java.util.Iterator<Map.Entry<String, JsonNode>> i = headers.fields(); i.hasNext(); ) {
            Map.Entry<String, JsonNode> h = i.next();
            if (!h.getKey().equalsIgnoreCase("content-type")) continue;
            Matcher m = Pattern.compile("charset\\s*=\\s*\"?([A-Za-z0-9._:+-]{1,40})", Pattern.CASE_INSENSITIVE).matcher(h.getValue().asText());
            if (!m.find()) return null;
            try {
                return java.nio.charset.Charset.forName(m.group(1));
            } catch (IllegalArgumentException unknown) {
                return null;
            }
        }
        return null;
    }

    /** OONI's form of bytes that are not UTF-8: {@code {"format":"base64","data":"..."}}. */
    private static boolean isBase64(JsonNode node) {
        return node instanceof ObjectNode o && o.size() == 2 && "base64".equals(o.path("format").asText(null)) && o.path("data").isTextual();
    }

    /** Scrubs a body in OONI's base64 form in place; how many addresses were replaced. */
    private int scrubBase64(ObjectNode body, java.nio.charset.Charset declared) {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(body.get("data").asText());
        } catch (IllegalArgumentException notBase64) {
            Scrubbed s = scrub(body.get("data").asText());
            if (s.replaced() > 0) body.put("data", s.text());
            return s.replaced();
        }
        ScrubbedBytes s = scrub(bytes, declared);
        if (s.replaced() > 0) body.put("data", java.util.Base64.getEncoder().encodeToString(s.bytes()));
        return s.replaced();
    }

    /**
     * Scrubs a measurement's tree in place: every text value and every field name, at any depth.
     * Returns how many addresses were replaced. Working on the tree, never on the written text,
     * keeps the JSON valid whatever an address sits next to.
     */
    public int scrub(JsonNode node) {
        if (!any) return 0;
        int replaced = 0;
        if (node instanceof ObjectNode object) {
            if (isBase64(object)) return scrubBase64(object, null);
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (isBase64(value)) {
                    // A body that is not UTF-8: scrubbed decoded, in the charset its response declares.
                    replaced += scrubBase64((ObjectNode) value, name.equals("body") ? declaredCharset(object) : null);
                } else if (value.isTextual()) {
                    Scrubbed s = scrub(value.asText());
                    if (s.replaced() > 0) object.put(name, s.text());
                    replaced += s.replaced();
                } else {
                    replaced += scrub(value);
                }
                Scrubbed key = scrub(name);
                if (key.replaced() > 0) {
                    object.set(key.text(), object.remove(name));
                    replaced += key.replaced();
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (isBase64(value)) {
                    replaced += scrubBase64((ObjectNode) value, null);
                } else if (value.isTextual()) {
                    Scrubbed s = scrub(value.asText());
                    if (s.replaced() > 0) array.set(i, TextNode.valueOf(s.text()));
                    replaced += s.replaced();
                } else {
                    replaced += scrub(value);
                }
            }
        }
        return replaced;
    }

    /** How many addresses are scrubbed (each in all its forms). */
    public int forms() {
        return count;
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (two or more) of zero groups as "::". */
    static String compressed(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
