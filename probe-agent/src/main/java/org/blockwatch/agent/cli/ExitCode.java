package org.blockwatch.agent.cli;

/** The program's exit codes, as docs/interfaces.md fixes them. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCode() {}
}
