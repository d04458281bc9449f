package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.List;

/** A plain-text table: columns padded to their widest cell, the last one left ragged. */
final class TextTable {
    private TextTable() {}

    static void print(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
        }
        for (String[] row : rows) out.println(line(row, widths));
        out.flush();
    }

    /** One row padded to {@code widths}, for tables printed a row at a time. */
    static String line(String[] row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
        return line.toString().stripTrailing();
    }
}
