package org.blockwatch.agent.settings;

/** A setting that cannot be used; the message names the file and line, or the option, and the key. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
