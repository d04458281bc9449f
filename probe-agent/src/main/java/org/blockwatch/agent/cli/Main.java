package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import org.blockwatch.agent.settings.CommandSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code blockwatch} program. */
@Command(name = "blockwatch",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A censorship-measurement probe: measures whether sites can be reached over DNS, TCP, TLS and HTTP.",
        subcommands = {MeasureCommand.class, RunCommand.class, StatusCommand.class, PauseCommand.class, PauseCommand.Resume.class, ExportCommand.class, DemoCommand.class, TargetsCommand.class, ConsentCommand.class, UploadCommand.class, ListCommand.class, ShowCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        org.blockwatch.agent.run.HttpServerLimits.apply(args.length > 0 ? args[0] : ""); // before any HTTP server class is loaded
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the program with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length > 0 && Operators.COMMANDS.contains(args[0]) && !Operators.installed()) {
            err.println("blockwatch: '" + args[0] + "' is in the operators' package, blockwatch-server (its PostgreSQL driver and "
                    + "servers are not part of what volunteers install); see docs/operators.md");
            err.flush();
            return ExitCode.USAGE;
        }
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new ErrorHandler());
        return cli.execute(args);
    }

    /** The program's command line: every command, each with the options of the settings it takes. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // The operators' commands, where their libraries are (the operators' package, the source tree).
        if (Operators.installed()) {
            cli.addSubcommand(new ControlServerCommand());
            cli.addSubcommand(new CollectorCommand());
        }
        addSettingOptions(cli);
        return cli;
    }

    /** Every command's setting options, at any depth ({@code targets update} as well as {@code run}). */
    private static void addSettingOptions(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommand() instanceof TakesSettings t) CommandSettings.addOptions(sub.getCommandSpec(), t.settingKeys());
            addSettingOptions(sub);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed (see 'blockwatch --help')");
    }
}
