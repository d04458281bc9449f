package org.blockwatch.agent.store;

/** The store cannot be used or written; the message says which file and why. */
public final class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
