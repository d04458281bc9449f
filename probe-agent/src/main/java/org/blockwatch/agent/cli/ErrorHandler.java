package org.blockwatch.agent.cli;

import org.blockwatch.agent.settings.SettingsException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where exceptions become exit codes: usage and input errors are 2 with a
 * one-line message, anything else 1 with the message (and no stack trace unless asked for with
 * BLOCKWATCH_DEBUG=1).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("blockwatch: " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr())) {
            cli.getErr().println("See '" + cli.getCommandSpec().qualifiedName() + " --help'.");
        }
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        if (e instanceof InputException || e instanceof SettingsException) {
            cli.getErr().println("blockwatch: " + e.getMessage());
            return ExitCode.USAGE;
        }
        cli.getErr().println("blockwatch: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
        if ("1".equals(System.getenv("BLOCKWATCH_DEBUG"))) e.printStackTrace(cli.getErr());
        return ExitCode.FAILURE;
    }
}
