package org.blockwatch.agent.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blockwatch.agent.run.Consent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code blockwatch consent}: shows what running a probe means, and records the volunteer's consent. */
@Command(name = "consent", mixinStandardHelpOptions = true,
        description = {"Show the consent text; with --accept, record that you agree.",
                "The consent is kept beside the configuration file (--config), or for your user without one."})
final class ConsentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--accept", description = "Record that you have read the text and agree.")
    boolean accept;

    @Option(names = "--check", description = "Only tell whether consent was given: exit 0 if it was, 1 if not (for services and scripts).")
    boolean check;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The configuration the consent is for (e.g. /etc/blockwatch/blockwatch.yaml of the packaged service).")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Path file = ConfigFile.resolve(configFile);
        boolean given = Consent.given(ConfigFile.load(file).consent(), file);
        if (check) {
            out.println(given ? "Consent was given." : "No consent yet: read 'blockwatch consent', then run '" + Consent.acceptCommand(file) + "'.");
            return given ? ExitCode.OK : ExitCode.FAILURE;
        }
        out.println(Consent.TEXT);
        if (accept) {
            out.println("Consent recorded in " + Consent.record(file) + ".");
            if (file != null && file.toAbsolutePath().startsWith("/etc/blockwatch")) {
                out.println("The service starts measuring once (re)started: sudo systemctl restart blockwatch");
            }
        } else {
            out.println(given ? "Consent was given before." : "To agree: " + Consent.acceptCommand(file));
        }
        return ExitCode.OK;
    }
}
