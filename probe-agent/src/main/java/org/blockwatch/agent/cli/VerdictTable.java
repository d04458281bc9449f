package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Verdict;

/** The human-readable table of {@code measure}: URL, verdict, method, evidence. */
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
        return TextTable.line(HEADER, widths);
    }

    static String[] row(Measurement m) {
        Verdict v = m.verdict();
        String flags = String.join(" ", v.flags());
        String evidence = (flags.isEmpty() ? "" : "[" + flags + "] ") + v.explanation();
        return new String[] {m.input(), v.status().label(), v.method() == null ? "-" : v.method().label(), evidence};
    }
}
