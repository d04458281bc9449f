package org.blockwatch.agent.config;

/** A configuration that cannot be used; the message names the file, the line and the key. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
