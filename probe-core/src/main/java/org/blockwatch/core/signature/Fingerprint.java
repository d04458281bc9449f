package org.blockwatch.core.signature;

import java.util.Locale;

/**
 * One blocking fingerprint of OONI's set. {@code location} is {@code body}, {@code dns} or a
 * lower-case header name; {@code type} is full, prefix, contains or regexp.
 */
public record Fingerprint(String name, String scope, String location, String type, String pattern, int confidence) {

    /** How much a match weighs, by the fingerprint's scope (Citizen Lab's definitions). */
    public enum Weight {
        /** A censor's or a filtering product's page (nat, isp, prod, inst, ...): a signature. */
        BLOCKPAGE,
        /** A vague blocking word: supports a difference from the control, decides nothing. */
        VAGUE,
        /** A known false positive (a CDN challenge, a parked domain): explains a difference away. */
        FALSE_POSITIVE
    }

    public Weight weight() {
        return switch (scope.toLowerCase(Locale.ROOT)) {
            case "fp" -> Weight.FALSE_POSITIVE;
            case "vbw" -> Weight.VAGUE;
            default -> Weight.BLOCKPAGE;
        };
    }
}
