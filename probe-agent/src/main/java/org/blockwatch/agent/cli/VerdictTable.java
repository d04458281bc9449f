package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Verdict;

/** The human-readable table of {@code measure}: URL (or an app's name), verdict, method, evidence. */
final class VerdictTable {
    private static final String[] HEADER = {"URL", "VERDICT", "METHOD", "EVIDENCE"};

    private VerdictTable() {}

    static void print(PrintWriter out, List<Measurement> measurements) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Measurement m : measurements) rows.add(row(m));
        TextTable.print(out, rows);
    }

    /** Column widths known before any row: the longest URL given, the longest verdict and method labels. */
    static int[] widths(List<String> urls) {
        int url = Math.max(HEADER[0].length(), urls.stream().mapToInt(String::length).max().orElse(0));
        int verdict = java.util.Arrays.stream(Verdict.Status.values()).mapToInt(v -> v.label().length()).max().orElse(0);
        int method = java.util.Arrays.stream(Verdict.Method.values()).mapToInt(v -> v.label().length()).max().orElse(0);
        return new int[] {url, Math.max(HEADER[1].length(), verdict), Math.max(HEADER[2].length(), method), 0};
    }

    static String header(int[] widths) {
        return header(widths, false);
    }

    /** The header; with an app among the inputs, the first column is headed INPUT (an app's name is no URL). */
    static String header(int[] widths, boolean apps) {
        return TextTable.line(apps ? new String[] {"INPUT", HEADER[1], HEADER[2], HEADER[3]} : HEADER, widths);
    }

    /** What a row is of: the input, or for a kind measured without one (an app), its test name. */
    static String label(Measurement m) {
        return m.input() == null || m.input().isEmpty() ? m.testName() : m.input();
    }

    static String[] row(Measurement m) {
        Verdict v = m.verdict();
        String flags = String.join(" ", v.flags());
        String evidence = (flags.isEmpty() ? "" : "[" + flags + "] ") + v.explanation();
        return new String[] {label(m), v.status().label(), v.method() == null ? "-" : v.method().label(), evidence};
    }
}
