package org.blockwatch.sim;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's {@code postgresql} package) for a test: {@code initdb} and
 * {@code pg_ctl} in a temporary folder, listening on 127.0.0.1 only, no system service, trust
 * authentication for the {@code postgres} user, fsync off (a test's data need not survive a power
 * cut). PostgreSQL refuses to run as root, so under root (CI) it runs as {@code nobody}.
 * {@link #available()} says whether the package is installed.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path BIN = findBin();

    private final Path dir;
    private final int port;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    private static Path findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0")))).orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    public static boolean available() {
        return BIN != null;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        if (BIN == null) throw new IllegalStateException("no PostgreSQL: apt-get install postgresql");
        Path dir = Files.createTempDirectory("blockwatch-pg");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run(root, dir, BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync");
        run(root, dir, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                "-o", "-k " + dir + " -p " + port + " -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=50", "-w", "-t", "60",
                "start");
        return new PostgresServer(dir, port);
    }

    private static void run(boolean root, Path dir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (root) cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        cmd.addAll(List.of(command));
        Path log = Files.createTempFile("blockwatch-pg", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of the {@code postgres} database as the {@code postgres} user. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The same as a {@code postgresql://} URL, as blockwatch's options take it. */
    public String url() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("root".equals(System.getProperty("user.name")), dir, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
