package org.blockwatch.core.failure;

import java.util.regex.Pattern;

/**
 * Removes IP addresses from free text before it is recorded. JDK messages can carry the local
 * address ("... from /192.168.1.5:51234"), and a volunteer's address never leaves the machine.
 */
public final class AddressScrubber {
    static final String REPLACEMENT = "[scrubbed]";
    private static final Pattern IPV4 = Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b");
    // Any run of hex groups with at least two colons: over-matches harmlessly (times like 10:20:30).
    private static final Pattern IPV6 = Pattern.compile(
            "\\[?(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[\\w.]+)?\\]?");

    private AddressScrubber() {}

    public static String scrub(String text) {
        String out = IPV4.matcher(text).replaceAll(REPLACEMENT);
        return IPV6.matcher(out).replaceAll(REPLACEMENT);
    }
}
