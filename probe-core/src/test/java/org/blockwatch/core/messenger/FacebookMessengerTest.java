package org.blockwatch.core.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.blockwatch.core.apps.AppWorld;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messenger's rule edges: answers in Facebook's address space or out of it, and what the control resolves. */
class FacebookMessengerTest {
    static final ProbeInfo PROBE = new ProbeInfo("AS1", "KZ", "test", "blockwatch", "test");
    static final List<AddressRange> SPACE = List.of(AddressRange.parse("127.100.4.0/24"));
    AppWorld world;

    @BeforeEach
    void world() throws Exception {
        world = new AppWorld();
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    private Result measure(AppWorld.Control control) {
        return new FacebookMessenger(world.steps(), control.control(), new FacebookMessenger.Endpoints(List.of(
                new FacebookMessenger.Service("b_api", "b-api.fb.test"), new FacebookMessenger.Service("star", "star.fb.test"),
                new FacebookMessenger.Service("stun", "stun.fb.test")), SPACE)).measure("");
    }

    private void honest() {
        world.name("b-api.fb.test", "127.100.4.1").name("star.fb.test", "127.100.4.2").name("stun.fb.test", "127.100.4.3");
        world.route("127.100.4.1", 443, world.http.getPort()).route("127.100.4.2", 443, world.http.getPort());
    }

    @Test
    void answersInTheSpaceAndConnectionsAcceptedAreAccessible() {
        honest();
        Result r = measure(AppWorld.controlReachingAll());
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("facebook_b_api_dns_consistent").booleanValue()).isTrue();
        assertThat(keys.get("facebook_b_api_reachable").booleanValue()).isTrue();
        assertThat(keys.get("facebook_stun_dns_consistent").booleanValue()).isTrue();
        assertThat(keys.get("facebook_stun_reachable").isNull()).isTrue();
        assertThat(keys.get("facebook_dns_blocking").booleanValue()).isFalse();
        assertThat(keys.get("facebook_tcp_blocking").booleanValue()).isFalse();
        assertThat(r.verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void anAnswerOutsideTheSpaceWhileTheControlResolvesInsideIsADnsBlock() {
        honest();
        world.name("star.fb.test", "10.10.34.35");
        AppWorld.Control control = AppWorld.controlReachingAll("127.100.4.2");
        Result r = measure(control);
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("facebook_star_dns_consistent").booleanValue()).isFalse();
        assertThat(keys.get("facebook_star_reachable").isNull()).isTrue();
        assertThat(keys.get("facebook_dns_blocking").booleanValue()).isTrue();
        assertThat(keys.get("facebook_tcp_blocking").booleanValue()).isFalse();
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.DNS);
        assertThat(control.queries).singleElement().satisfies(q -> assertThat(q.target().input()).isEqualTo("https://star.fb.test/"));
    }

    @Test
    void anAnswerOutsideTheSpaceForTheControlTooIsNotCalledABlock() {
        honest();
        world.name("star.fb.test", "10.10.34.35");
        Result r = measure(AppWorld.controlReachingAll("198.51.100.7"));
        assertThat(r.testKeys(PROBE).get("facebook_dns_blocking").booleanValue()).isTrue();
        assertThat(r.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void aNameResolvingNowhereIsDown() {
        honest();
        world.dns.on("star.fb.test", new org.blockwatch.sim.DnsBehaviour.Code(org.xbill.DNS.Rcode.NXDOMAIN));
        Result r = measure(AppWorld.controlReachingAll());
        assertThat(r.testKeys(PROBE).get("facebook_star_dns_consistent").booleanValue()).isFalse();
        assertThat(r.verdict().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void connectionsRefusedToFacebooksAddressesWhileTheControlConnectsAreATcpBlock() {
        honest();
        world.path.detour("127.100.4.2", 443, world.closedPort);
        Result r = measure(AppWorld.controlReachingAll());
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("facebook_star_dns_consistent").booleanValue()).isTrue();
        assertThat(keys.get("facebook_star_reachable").booleanValue()).isFalse();
        assertThat(keys.get("facebook_tcp_blocking").booleanValue()).isTrue();
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.TCP_IP);
    }
}
