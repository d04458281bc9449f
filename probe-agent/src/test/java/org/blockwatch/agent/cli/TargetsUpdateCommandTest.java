package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code targets update} as the .deb's volunteer runs it: with the service's {@code --config} (or a
 * {@code --store}) it writes the lists beside that store, where {@code run} with the same
 * configuration reads them; offline it says which host it could not reach and why, and keeps what is there.
 */
class TargetsUpdateCommandTest {
    private static final Path REAL = Path.of("src/test/resources/citizenlab-test-lists");
    @TempDir
    Path tmp;
    private HttpServer server;
    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            try (x) {
                byte[] page = pages.get(x.getRequestURI().getPath());
                x.sendResponseHeaders(page == null ? 404 : 200, page == null ? -1 : page.length);
                if (page != null) x.getResponseBody().write(page);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/lists/";
        pages.put("/lists/kz.csv", Files.readAllBytes(REAL.resolve("kz.csv")));
        pages.put("/lists/global.csv", Files.readAllBytes(REAL.resolve("global.csv")));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theConfigsStoreDecidesWhereTheListsGoAndRunReadsThemThere() throws Exception {
        Path store = tmp.resolve("var-lib-blockwatch").resolve("blockwatch.db");
        Path config = Files.writeString(tmp.resolve("blockwatch.yaml"), "store:\n  path: " + store + "\n");
        Cli r = Cli.run("targets", "update", "--config", config.toString(), "--url", base);
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        Path kz = store.getParent().resolve("lists").resolve("citizenlab-kz.csv");
        assertThat(kz).hasSameBinaryContentAs(REAL.resolve("kz.csv"));
        assertThat(store.getParent().resolve("lists").resolve("citizenlab-global.csv")).exists();
        // The service reads them as another user: they are readable by it, not only by whoever updated.
        assertThat(Files.getPosixFilePermissions(kz)).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        // And run, with the same configuration, looks there.
        var settings = org.blockwatch.agent.settings.CommandSettings.fromFile(config);
        assertThat(TargetsCommand.updatedLists(settings)).isEqualTo(kz.getParent());
    }

    @Test
    void runAsRootForAServiceItsListsBecomeTheServicesUsers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        // The service's state folder belongs to its own user (here: nobody's uid), the updater is root.
        Path state = Files.createDirectories(tmp.resolve("state"));
        var service = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        Files.setOwner(state, service);
        Cli r = Cli.run("targets", "update", "--store", state.resolve("blockwatch.db").toString(), "--url", base);
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(Files.getOwner(state.resolve("lists"))).isEqualTo(service);
        assertThat(Files.getOwner(state.resolve("lists").resolve("citizenlab-kz.csv"))).isEqualTo(service);
    }

    @Test
    void storeOptionWins() throws Exception {
        Path store = tmp.resolve("elsewhere").resolve("s.db");
        Cli r = Cli.run("targets", "update", "--store", store.toString(), "--url", base);
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(store.getParent().resolve("lists").resolve("citizenlab-kz.csv")).exists();
        assertThat(r.out()).contains(store.getParent().resolve("lists").toString());
    }

    @Test
    void helpNamesTheOptionsItTakes() {
        Cli r = Cli.run("targets", "update", "--help");
        assertThat(r.out()).contains("--config", "--store", "--url");
        Cli bare = Cli.run("targets");
        assertThat(bare.err()).contains("update");
    }

    @Test
    void offlineSaysWhichHostAndWhyAndKeepsTheListsInPlace() throws Exception {
        Path store = tmp.resolve("s.db");
        Path lists = Files.createDirectories(tmp.resolve("lists"));
        Files.writeString(lists.resolve("citizenlab-kz.csv"), "the list in place");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Cli r = Cli.run("targets", "update", "--store", store.toString(), "--url", "http://127.0.0.1:" + closed + "/lists/");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach 127.0.0.1:" + closed + ": connection refused").doesNotContain("ConnectException");
        assertThat(lists.resolve("citizenlab-kz.csv")).hasContent("the list in place");
    }
}
