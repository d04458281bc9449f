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
        subcommands = {TargetsCommand.Check.class, TargetsCommand.Update.class})
final class TargetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: 'targets check FILE...' or 'targets update'");
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

    @Command(name = "update", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
            header = "Fetch Citizen Lab's current kz and global lists.",
            description = "Fetch Citizen Lab's current kz and global lists (or from --url), check each as the agent would load it, "
                    + "and put it in place whole beside the store, where builtin:citizenlab-kz and builtin:citizenlab-global then "
                    + "find it; on any error the list in place stays. The agent takes them at its next start. Exit 0 when both were "
                    + "updated, 1 otherwise.")
    static final class Update implements Callable<Integer>, TakesSettings {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Option(names = "--url", paramLabel = "URL", defaultValue = org.blockwatch.agent.targets.ListUpdater.CITIZENLAB,
                description = "Where the lists are (kz.csv and global.csv under it). Default: ${DEFAULT-VALUE}")
        String url;

        @Override
        public List<org.blockwatch.agent.settings.Key<?>> settingKeys() {
            return List.of(org.blockwatch.agent.settings.Keys.CONFIG, org.blockwatch.agent.settings.Keys.STORE);
        }

        @Override
        public Integer call() {
            org.blockwatch.agent.settings.Settings settings = settings(spec);
            java.nio.file.Path dir = updatedLists(settings);
            var updater = new org.blockwatch.agent.targets.ListUpdater(java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(15)).followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build(),
                    java.time.Duration.ofSeconds(60));
            boolean all = true;
            for (String country : List.of("kz", "global")) {
                var o = updater.update(url, country, dir);
                (o.updated() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(o.name() + ": " + o.message());
                all &= o.updated();
            }
            spec.commandLine().getOut().flush();
            return all ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    /** Where updated lists are kept: beside the store, in lists/. */
    static java.nio.file.Path updatedLists(org.blockwatch.agent.settings.Settings settings) {
        return settings.storePath().toAbsolutePath().getParent().resolve("lists");
    }
}
