package org.blockwatch.agent.cli;

import java.io.Console;
import java.io.PrintWriter;

/**
 * A progress line ("measured 3 of 30") rewritten in place on a terminal, on stderr; nothing at all
 * when the output is piped or redirected, so files and scripts get only results.
 */
final class Progress {
    private static final Progress NONE = new Progress(null, 0);
    private final Texts texts = Texts.ofEnvironment();
    private final PrintWriter err;
    private final int total;
    private int shown;

    private Progress(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    static Progress onTerminal(PrintWriter err, int total) {
        return interactive() ? new Progress(err, total) : NONE;
    }

    /** Whether stdin and stdout are a terminal (JDK 22+ also returns a Console when they are not: ask it). */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a Console exists only on a terminal
        }
    }

    void show(int done) {
        if (err == null) return;
        String line = texts.t("progress.measured", done, total);
        err.print("\r" + line);
        err.flush();
        shown = TextTable.width(line);
    }

    void clear() {
        if (err == null || shown == 0) return;
        err.print("\r" + " ".repeat(shown) + "\r");
        err.flush();
        shown = 0;
    }
}
