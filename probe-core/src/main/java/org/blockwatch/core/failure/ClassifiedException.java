package org.blockwatch.core.failure;

/**
 * Implemented by exceptions that already know their failure string, so the classifier keeps
 * the first, lowest-level classification instead of guessing again from a wrapper.
 */
public interface ClassifiedException {
    String failure();
}
