package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** Help that reads as sentences: no summary or description cut where a source line happened to end. */
class HelpTextTest {

    @Test
    void everyCommandInTheListIsSummedUpInWholeSentences() {
        String help = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
        String commands = help.substring(help.indexOf("Commands:") + "Commands:".length());
        List<String> entries = new ArrayList<>();
        for (String line : commands.split("\n")) {
            if (line.isBlank()) continue;
            if (line.startsWith("    ")) entries.set(entries.size() - 1, entries.getLast() + " " + line.strip());
            else entries.add(line.strip());
        }
        assertThat(entries).hasSizeGreaterThanOrEqualTo(8).allSatisfy(e -> assertThat(e).as(e).endsWith("."));
    }

    @Test
    void everyCommandsHelpHasAWholeHeaderAndDescription() {
        for (Map.Entry<String, CommandLine> c : Main.commandLine().getSubcommands().entrySet()) {
            if (c.getKey().equals("help")) continue; // picocli's own
            CommandLine.Model.CommandSpec spec = c.getValue().getCommandSpec();
            for (String line : spec.usageMessage().header()) assertThat(line).as(c.getKey() + " header").endsWith(".");
            String description = String.join(" ", spec.usageMessage().description());
            assertThat(description).as(c.getKey() + " description").isNotBlank().endsWith(".");
        }
    }

    private static String help(String... command) {
        CommandLine c = Main.commandLine();
        for (String name : command) c = c.getSubcommands().get(name);
        return c.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
    }

    /** Issue 32: help texts that were untrue of the command they were shown for. */
    @Test
    void everyOptionsHelpIsTrueOfItsCommand() {
        // status --json prints one object, not measurements; status asks --metrics-listen, it serves nothing.
        assertThat(help("status")).contains("--json Print the status as one JSON object").doesNotContain("JSON measurement per line")
                .contains("--metrics-listen=IP:PORT Where the agent serves /metrics: asked once").doesNotContain("Where to serve");
        assertThat(help("measure")).contains("--json Print one JSON measurement per line");
        // pause --store spoke of the demo; so did resume's and run's.
        for (String command : List.of("pause", "resume", "status", "run")) {
            assertThat(help(command)).as(command).doesNotContain("demo").containsPattern("--store=FILE The store \\(SQLite\\)");
        }
        assertThat(help("demo")).contains("--store=FILE The store (SQLite) the demo writes its measurements to. Default: a new temporary folder.");
        // pause's DURATION says which forms it reads, and what a number alone is.
        assertThat(help("pause")).contains("2 hours", "90m", "1h30m", "a number alone is minutes");
        // The store of --config is the default of every command that reads one, not only the user's.
        for (List<String> command : List.of(List.of("status"), List.of("pause"), List.of("list"), List.of("show"), List.of("upload"),
                List.of("targets", "update"))) {
            assertThat(help(command.toArray(String[]::new))).as("%s", command).contains("Default: store.path of the configuration");
        }
        // 'blockwatch targets' alone names both its commands.
        Cli targets = Cli.run("targets");
        assertThat(targets.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(targets.err()).contains("targets check FILE...", "targets update");
    }
}
