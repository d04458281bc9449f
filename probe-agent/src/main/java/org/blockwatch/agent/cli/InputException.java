package org.blockwatch.agent.cli;

/** Bad input from the user (a URL, a file, a value): exit 2 with the message, which names what is wrong. */
public final class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
