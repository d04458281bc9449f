package org.blockwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blockwatch.agent.config.AgentConfig;
import org.blockwatch.agent.config.ConfigException;
import org.blockwatch.agent.config.ConfigLoader;
import org.blockwatch.agent.run.Xdg;

/** The agent's configuration file: the one named by --config, else the user's when it exists. */
final class ConfigFile {
    private ConfigFile() {}

    /** The file in use, or null when there is none (every key at its default). */
    static Path resolve(Path explicit) {
        if (explicit != null) return explicit;
        Path standard = Xdg.configHome().resolve("blockwatch").resolve("config.yaml");
        return Files.exists(standard) ? standard : null;
    }

    static AgentConfig load(Path file) throws IOException {
        AgentConfig defaults = AgentConfig.defaults(Xdg.dataHome());
        if (file == null) return defaults;
        try {
            return ConfigLoader.load(file, defaults);
        } catch (ConfigException e) {
            throw new InputException(e.getMessage(), e);
        }
    }
}
