package org.blockwatch.agent.store;

import java.nio.file.Path;

/** A second process for {@link StoreLockTest}: takes the lock of the store given, says so, and holds it until killed. */
public final class StoreLockHolder {
    public static void main(String[] args) throws Exception {
        try (StoreLock lock = StoreLock.acquire(Path.of(args[0]), "run")) {
            System.out.println("locked " + lock.file());
            System.out.flush();
            System.in.read(); // until its test kills it (or closes its input)
        }
    }

    /** Starts a holder of {@code store}'s lock in a process of its own; returns once it holds it. */
    public static Process start(Path store) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StoreLockHolder.class.getName(), store.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        if (line == null || !line.startsWith("locked")) {
            p.destroyForcibly();
            throw new IllegalStateException("the holder did not take the lock: " + line);
        }
        return p;
    }
}
