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
}
