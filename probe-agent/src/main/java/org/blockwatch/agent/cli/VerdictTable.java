package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.measurement.Measurement;
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

    static String[] row(Measurement m) {
        Verdict v = m.verdict();
        String flags = String.join(" ", v.flags());
        String evidence = (flags.isEmpty() ? "" : "[" + flags + "] ") + v.explanation();
        return new String[] {m.observation().input(), v.status().label(), v.method() == null ? "-" : v.method().label(), evidence};
    }
}
