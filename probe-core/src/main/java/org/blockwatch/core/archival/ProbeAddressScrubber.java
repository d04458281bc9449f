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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the probe's own addresses with {@code [scrubbed]}, as OONI does, wherever they appear
 * in a measurement's text: bodies, titles, headers, cookies, URLs, failure strings. A server that
 * echoes its client's address cannot put it in the evidence. IPv4 is matched as a whole dotted
 * quad; IPv6 in both its full and its compressed (RFC 5952) forms, in any case. Loopback
 * addresses are not the probe's to hide (every lab uses them), so they are left alone. Immutable.
 */
public final class ProbeAddressScrubber {
    public static final String SCRUBBED = "[scrubbed]";
    public static final ProbeAddressScrubber NONE = new ProbeAddressScrubber(Set.of());

    private final Pattern pattern;
    private final int count;

    private ProbeAddressScrubber(Set<InetAddress> addresses) {
        Set<String> forms = new LinkedHashSet<>();
        for (InetAddress a : addresses) {
            if (a == null || a.isLoopbackAddress() || a.isAnyLocalAddress()) continue;
            if (a instanceof Inet4Address) forms.add("(?<![0-9.])" + Pattern.quote(a.getHostAddress()) + "(?![0-9]|\\.[0-9])");
            if (a instanceof Inet6Address v6) {
                String full = v6.getHostAddress().replaceAll("%.*$", "");
                for (String form : List.of(full, compressed(v6.getAddress()))) {
                    forms.add("(?<![0-9A-Fa-f:])" + Pattern.quote(form) + "(?![0-9A-Fa-f:])");
                }
            }
        }
        this.count = forms.size();
        this.pattern = forms.isEmpty() ? null : Pattern.compile(String.join("|", forms), Pattern.CASE_INSENSITIVE);
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
        if (pattern == null) return new Scrubbed(text, 0);
        Matcher m = pattern.matcher(text);
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

    /**
     * Scrubs a measurement's tree in place: every text value and every field name, at any depth.
     * Returns how many addresses were replaced. Working on the tree, never on the written text,
     * keeps the JSON valid whatever an address sits next to.
     */
    public int scrub(JsonNode node) {
        if (pattern == null) return 0;
        int replaced = 0;
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (value.isTextual()) {
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
                if (value.isTextual()) {
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

    /** How many address forms are scrubbed. */
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
