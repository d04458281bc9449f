package org.blockwatch.agent.run;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/** A person at a terminal: what they are shown, and the lines they type. */
public interface Terminal {
    /** Shows {@code text} and a line break. */
    void say(String text);

    /** Shows {@code prompt} and reads a line; null when the input has ended. */
    String ask(String prompt);

    /** The process's terminal, when both its input and output are one (not a service, not a pipe). */
    static Optional<Terminal> system() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) return Optional.empty();
        return Optional.of(new Terminal() {
            @Override
            public void say(String text) {
                console.writer().println(text);
                console.flush();
            }

            @Override
            public String ask(String prompt) {
                return console.readLine("%s", prompt);
            }
        });
    }

    /** A terminal over a reader and a writer: a script of answers, in tests. */
    static Terminal of(BufferedReader in, PrintWriter out) {
        return new Terminal() {
            @Override
            public void say(String text) {
                out.println(text);
                out.flush();
            }

            @Override
            public String ask(String prompt) {
                out.print(prompt);
                out.flush();
                try {
                    return in.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** JDK 22+ returns a Console when stdin or stdout is not a terminal too: ask it (JDK 21 returns one only on a terminal). */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
