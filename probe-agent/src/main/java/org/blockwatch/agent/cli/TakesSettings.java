package org.blockwatch.agent.cli;

import java.util.List;
import org.blockwatch.agent.settings.CommandSettings;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Settings;
import picocli.CommandLine.Model.CommandSpec;

/** A command whose options are settings of the table: {@link Main} adds them, {@link #settings} resolves them. */
interface TakesSettings {
    /** The keys this command takes as options, in the order its help lists them. */
    List<Key<?>> settingKeys();

    /** The resolved settings of this invocation: defaults, then the configuration file, then the options given. */
    default Settings settings(CommandSpec spec) {
        return CommandSettings.resolve(spec.commandLine().getParseResult(), settingKeys());
    }
}
