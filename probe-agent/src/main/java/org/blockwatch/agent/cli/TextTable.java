package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * A plain-text table: columns padded to their widest cell, the last one left ragged. Widths are
 * the columns a terminal gives a text, not its {@code char}s: a letter written with a combining
 * mark ({@code й} as {@code и} + U+0306, as some keyboards and file names leave Russian and
 * Kazakh) takes one column, a wide CJK letter two, a letter outside the BMP one.
 */
final class TextTable {
    private TextTable() {}

    static void print(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], width(row[i]));
        }
        for (String[] row : rows) out.println(line(row, widths));
        out.flush();
    }

    /** One row padded to {@code widths}, for tables printed a row at a time. */
    static String line(String[] row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            line.append(row[i]);
            if (i < row.length - 1) line.repeat(' ', Math.max(0, widths[i] - width(row[i])) + 2);
        }
        return line.toString().stripTrailing();
    }

    /** The columns {@code text} takes on a terminal. */
    static int width(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT || c == 0x200B) continue;
            width += wide(c) ? 2 : 1;
        }
        return width;
    }

    /** East Asian Wide and Fullwidth: the CJK blocks, Hangul syllables, fullwidth forms. */
    private static boolean wide(int c) {
        return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF)
                || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
                || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
                || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
    }
}
