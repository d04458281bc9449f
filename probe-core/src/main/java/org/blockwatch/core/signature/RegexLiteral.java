package org.blockwatch.core.signature;

import java.nio.charset.StandardCharsets;

/**
 * The longest run of literal characters in a regular expression: text that must occur wherever
 * the expression matches (for the simple expressions of the fingerprint set, which use no
 * alternation), so the automaton can find the places worth running the expression at.
 */
final class RegexLiteral {
    private static final String META = ".*+?()[]{}|^$";

    private RegexLiteral() {}

    static byte[] longest(String regex) {
        if (regex.indexOf('|') >= 0) return new byte[0]; // an alternation has no single required literal
        String best = "";
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(++i);
                if (META.indexOf(next) >= 0 || next == '\\' || next == '/' || next == '-') {
                    run.append(next);
                    continue;
                }
                best = longer(best, run);
                run.setLength(0);
                continue;
            }
            if (META.indexOf(c) >= 0) {
                // A quantifier makes the character before it optional.
                if ((c == '*' || c == '?' || c == '{') && run.length() > 0) run.setLength(run.length() - 1);
                best = longer(best, run);
                run.setLength(0);
                continue;
            }
            run.append(c);
        }
        best = longer(best, run);
        return best.getBytes(StandardCharsets.UTF_8);
    }

    private static String longer(String best, StringBuilder run) {
        return run.length() > best.length() ? run.toString() : best;
    }
}
