package org.blockwatch.agent.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.blockwatch.agent.targets.TargetList;
import org.blockwatch.agent.targets.TargetListLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blockwatch targets check FILE...}. */
@Command(name = "targets", mixinStandardHelpOptions = true, description = "Work with target lists.",
        subcommands = TargetsCommand.Check.class)
final class TargetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: targets check FILE...");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            header = "Validate target lists.",
            description = "Validate target lists (Citizen Lab's CSV format): report every bad row with its line number. Exit 0 "
                    + "when all rows load, 2 otherwise.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Lists to check (files, or builtin:kz, builtin:global).")
        List<String> files;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            boolean bad = false;
            for (String file : files) {
                try {
                    TargetList list = TargetListLoader.loadOne(file);
                    list.problems().forEach(err::println);
                    out.println(file + ": " + list.targets().size() + " targets, " + list.problems().size() + " bad row"
                            + (list.problems().size() == 1 ? "" : "s"));
                    bad |= !list.problems().isEmpty();
                } catch (IOException e) {
                    err.println("blockwatch: " + e.getMessage());
                    bad = true;
                }
            }
            return bad ? ExitCode.USAGE : ExitCode.OK;
        }
    }
}
