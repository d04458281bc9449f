package org.blockwatch.agent.cli;

import org.blockwatch.agent.run.Language;
import org.blockwatch.agent.settings.SettingsException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where exceptions become exit codes: usage and input errors are 2 with a
 * one-line message, anything else 1 with the message (and no stack trace unless asked for with
 * BLOCKWATCH_DEBUG=1). The frame ({@code blockwatch: ...}, {@code See '... --help'.}) and
 * picocli's usage errors are in the volunteer's language; a message made elsewhere is shown as
 * it comes (the settings' own name keys and values, and stay English).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        Texts t = Texts.ofEnvironment();
        cli.getErr().println(t.t("error.frame", usage(t, e)));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr())) {
            cli.getErr().println(t.t("error.seeHelp", cli.getCommandSpec().qualifiedName()));
        }
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        Texts t = Texts.ofEnvironment();
        if (e instanceof InputException || e instanceof SettingsException) {
            cli.getErr().println(t.t("error.frame", e.getMessage()));
            return ExitCode.USAGE;
        }
        cli.getErr().println(t.t("error.frame", e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
        if ("1".equals(System.getenv("BLOCKWATCH_DEBUG"))) e.printStackTrace(cli.getErr());
        return ExitCode.FAILURE;
    }

    /** picocli's message, in English as picocli words it, else in the language: what was not understood, what is missing. */
    private static String usage(Texts t, ParameterException e) {
        if (t.language() == Language.ENGLISH) return e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            return t.t("error.unknown", String.join(" ", u.getUnmatched()));
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            return t.t("error.missing", String.join(", ", m.getMissing().stream().map(ErrorHandler::name).toList()));
        }
        return e.getMessage();
    }

    private static String name(CommandLine.Model.ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
    }
}
