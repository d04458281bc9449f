package org.blockwatch.agent.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One agent per store: an exclusive lock on a file beside the store ({@code blockwatch.lock} for
 * {@code blockwatch.db}), held while the agent runs. The lock is the operating system's (a
 * {@link FileChannel#tryLock()}), so it goes when its process dies however it dies, and a file left
 * behind is never mistaken for a live agent. The file says who holds it (pid, start, command line),
 * for the refusal to name them. Only the commands that write as an agent take it ({@code run},
 * {@code upload}); readers ({@code status}, {@code export}, {@code list}) do not.
 */
public final class StoreLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of the store at {@code store}. */
    public static Path fileOf(Path store) {
        return MeasurementStore.beside(store, ".lock");
    }

    /**
     * Takes the store's lock for this process, or says who holds it.
     *
     * @param what what this process is, written in the file for a refusal to name ("run", "upload")
     */
    public static StoreLock acquire(Path store, String what) throws StoreException {
        Path file = fileOf(store);
        FileChannel channel = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process holds it already (a second agent in one JVM)
            }
            if (lock == null) {
                channel.close();
                throw new StoreException(inUse(store, file), null);
            }
            ProcessHandle me = ProcessHandle.current();
            String holder = "pid=" + me.pid() + "\nstarted=" + me.info().startInstant().orElse(Instant.now()) + "\ncommand=" + what + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new StoreLock(file, channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the lock was not taken; nothing is held
                }
            }
            throw new StoreException("store " + store + ": cannot take its lock " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** Who holds it, in a sentence: pid, command line when the system says, since when. */
    private static String inUse(Path store, Path file) {
        Holder h = Holder.read(file);
        String who = h.pid() < 0 ? "another process" : "process " + h.pid();
        String command = h.pid() < 0 ? "" : ProcessHandle.of(h.pid()).map(StoreLock::commandLine).map(c -> " (" + c + ")").orElse("");
        return "store " + store + " is in use by another blockwatch agent: " + who + command
                + (h.started() == null ? "" : ", running since " + h.started()) + (h.command() == null ? "" : ", '" + h.command() + "'")
                + "; one agent per store: stop it first" + (h.pid() < 0 ? "" : " (kill " + h.pid() + ", or sudo systemctl stop blockwatch)")
                + ", or give this one another --store";
    }

    /**
     * A process's command line as /proc says (the JDK's view of it drops the arguments of a long
     * one), its class path left out (pages of jars say nothing), or null when the system does not say.
     */
    private static String commandLine(ProcessHandle p) {
        List<String> args;
        try {
            args = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            args = p.info().command().map(List::of).orElse(List.of());
        }
        if (args.isEmpty() || args.get(0).isEmpty()) return null;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) line.append(' ');
            line.append(args.get(i));
            if (Set.of("-cp", "-classpath", "--class-path").contains(args.get(i))) {
                line.append(" ...");
                i++;
            }
        }
        return line.length() > 300 ? line.substring(0, 300) + "..." : line.toString();
    }

    /** What the lock file says of its holder (pid -1 when it says nothing readable). */
    public record Holder(long pid, String started, String command) {
        static Holder read(Path file) {
            long pid = -1;
            String started = null, command = null;
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq < 0) continue;
                    String value = line.substring(eq + 1).strip();
                    switch (line.substring(0, eq)) {
                        case "pid" -> pid = parse(value);
                        case "started" -> started = value;
                        case "command" -> command = value;
                        default -> { }
                    }
                }
            } catch (IOException e) {
                // unreadable: the refusal says "another process"
            }
            return new Holder(pid, started, command);
        }

        private static long parse(String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock whatever else fails; so does the process's end
        }
    }
}
