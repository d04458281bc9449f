package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/interfaces.md, the project's contract, names every command, option and configuration key there is. */
class InterfacesDocTest {
    private static final Path DOC = Path.of("../docs/interfaces.md");

    @Test
    void everyCommandAndOptionIsInTheContract() throws Exception {
        String doc = Files.readString(DOC);
        CommandLine cli = Main.commandLine();
        for (var command : cli.getSubcommands().entrySet()) {
            if (command.getKey().equals("help")) continue;
            assertThat(doc).as("command %s", command.getKey()).contains("`" + command.getKey());
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) continue;
                assertThat(doc).as("blockwatch %s %s", command.getKey(), option.longestName()).contains("`" + option.longestName());
            }
        }
    }

    @Test
    void everyConfigurationKeyIsInTheContract() throws Exception {
        String doc = Files.readString(DOC);
        for (Key<?> k : Keys.inFile()) assertThat(doc).as(k.name()).contains("`" + k.name() + "`");
    }
}
