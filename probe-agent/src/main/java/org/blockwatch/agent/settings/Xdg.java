package org.blockwatch.agent.settings;

import java.nio.file.Path;

/** The user's XDG base directories, where the agent keeps its data and configuration by default. */
public final class Xdg {
    private Xdg() {}

    public static Path dataHome() {
        return dir("XDG_DATA_HOME", ".local/share");
    }

    public static Path configHome() {
        return dir("XDG_CONFIG_HOME", ".config");
    }

    private static Path dir(String variable, String fallback) {
        String v = System.getenv(variable);
        if (v != null && !v.isBlank() && Path.of(v).isAbsolute()) return Path.of(v);
        return Path.of(System.getProperty("user.home"), fallback);
    }
}
