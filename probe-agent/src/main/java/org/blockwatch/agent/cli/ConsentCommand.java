package org.blockwatch.agent.cli;

import java.util.concurrent.Callable;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.run.Xdg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code blockwatch consent}: shows what running a probe means, and records the volunteer's consent. */
@Command(name = "consent", mixinStandardHelpOptions = true, description = "Show the consent text; with --accept, record that you agree.")
final class ConsentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--accept", description = "Record that you have read the text and agree.")
    boolean accept;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        out.println(Consent.TEXT);
        if (accept) {
            out.println("Consent recorded in " + Consent.record(Xdg.configHome()) + ".");
        } else {
            out.println(Consent.given(Xdg.configHome()) ? "Consent was given before." : "To agree: blockwatch consent --accept");
        }
        return ExitCode.OK;
    }
}
