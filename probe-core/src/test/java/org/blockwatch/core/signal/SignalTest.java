package org.blockwatch.core.signal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.blockwatch.core.apps.AppWorld;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signal's rule edges: the pinned root vs another root, a government's named; a failure that is not an interception needs the control. */
class SignalTest {
    static final ProbeInfo PROBE = new ProbeInfo("AS1", "KZ", "test", "blockwatch", "test");
    final CertificateAuthority signalRoot = CertificateAuthority.root("CN=Signal Messenger test root, O=Signal Messenger LLC");
    AppWorld world;

    @BeforeEach
    void world() throws Exception {
        world = new AppWorld();
        world.name("chat.sig.test", "127.100.3.1").name("storage.sig.test", "127.100.3.2").name("uptime.sig.test", "127.100.3.9");
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    private Result measure(AppWorld.Control control) {
        return new Signal(world.steps(), control.control(), new Signal.Endpoints(List.of("https://chat.sig.test/", "https://storage.sig.test/"),
                "uptime.sig.test", List.of(signalRoot.certificate()))).measure("");
    }

    private void serve(CertificateAuthority ca) throws Exception {
        world.route("127.100.3.1", 443, world.https(ca, "chat.sig.test").getPort());
        world.route("127.100.3.2", 443, world.https(ca, "storage.sig.test").getPort());
    }

    @Test
    void chainsToSignalsOwnRootAreAccessible() throws Exception {
        serve(signalRoot);
        AppWorld.Control control = AppWorld.controlReachingAll();
        Result r = measure(control);
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("signal_backend_status").asText()).isEqualTo("ok");
        assertThat(keys.get("signal_backend_failure").isNull()).isTrue();
        assertThat(r.verdict().status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(keys.get("queries").findValuesAsText("hostname")).contains("uptime.sig.test");
        assertThat(control.queries).isEmpty();
    }

    @Test
    void aChainToAnotherRootIsAnInterceptionNamingTheRootWithoutAControl() throws Exception {
        serve(CertificateAuthority.root("CN=Rogue Interception Root, O=Censor"));
        AppWorld.Control control = AppWorld.controlReachingNothing();
        Result r = measure(control);
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("signal_backend_status").asText()).isEqualTo("blocked");
        assertThat(keys.get("signal_backend_failure").asText()).isEqualTo("ssl_unknown_authority");
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.TLS);
        assertThat(r.verdict().flags()).containsExactly("tls_mitm");
        assertThat(r.verdict().explanation()).contains("CN=Rogue Interception Root,O=Censor");
        // An interception is evidence in itself: the control is not asked.
        assertThat(control.queries).isEmpty();
    }

    @Test
    void aGovernmentRootIsFlaggedAsOne() throws Exception {
        serve(CertificateAuthority.root("CN=Qaznet Trust Network"));
        Result r = measure(AppWorld.controlReachingAll());
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().flags()).containsExactly("tls_mitm", "tls_mitm_government_root");
        assertThat(r.verdict().explanation()).contains("Qaznet Trust Network").contains("government");
    }

    @Test
    void aPublicRootIsAcceptedAsOoniAcceptsIt() throws Exception {
        // The test root stands for a public one: the engine's roots are the JDK's plus it.
        serve(world.trusted);
        // Signal's kind trusts Signal's roots and the JDK's public roots, not the engine's extra roots:
        // so the test root is not public here, and this chain is an interception like any other.
        Result r = measure(AppWorld.controlReachingAll());
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().flags()).containsExactly("tls_mitm");
    }

    @Test
    void aResetHereWhileTheControlFetchesTheServiceIsBlockedAndDownWhenItCannot() throws Exception {
        world.route("127.100.3.1", 443, world.reset.port());
        world.route("127.100.3.2", 443, world.https(signalRoot, "storage.sig.test").getPort());
        Result blocked = measure(AppWorld.controlReachingAll("127.100.3.1"));
        assertThat(blocked.testKeys(PROBE).get("signal_backend_status").asText()).isEqualTo("blocked");
        assertThat(blocked.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(blocked.verdict().method()).isEqualTo(Method.TLS);
        Result down = measure(AppWorld.controlReachingNothing());
        assertThat(down.verdict().status()).isEqualTo(Status.DOWN);
    }
}
