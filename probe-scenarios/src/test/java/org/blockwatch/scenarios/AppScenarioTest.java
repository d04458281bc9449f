package org.blockwatch.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.apps.AppResult;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.messenger.FacebookMessenger;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.signal.Signal;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.telegram.Telegram;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.whatsapp.WhatsApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The apps of the censored world, each measured by its kind on the probe's engine (behind the
 * censor, through the ISP's resolver) with the world's endpoints: the verdict {@link
 * Scenarios#APPS} states with the control answering and with the control unreachable, and OONI's
 * keys of what the censor did.
 */
class AppScenarioTest {
    private static final AddressRange PUBLIC = AddressRange.parse(CensoredWorld.PUBLIC_RANGE);
    private static CensoredWorld world;
    private static WebEngine engine;
    private static String unreachableControl;

    @BeforeAll
    static void start() throws Exception {
        world = CensoredWorld.start();
        engine = new WebEngine(world.probeEngine());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unreachableControl = "http://127.0.0.1:" + s.getLocalPort() + "/"; // nothing listens there once closed
        }
    }

    @AfterAll
    static void stop() {
        engine.close();
        world.close();
    }

    private static Nettest kind(String testName, String controlUrl) {
        ControlClient client = new ControlClient(List.of(controlUrl), Duration.ofSeconds(10), Duration.ofSeconds(20),
                TrustRoots.jdkPlus(List.of(world.root())), null);
        AppControl control = new AppControl(client, StepListener.NONE);
        return switch (testName) {
            case Telegram.TEST_NAME -> new Telegram(engine.steps(), control, world.telegram());
            case WhatsApp.TEST_NAME -> new WhatsApp(engine.steps(), control, world.whatsapp());
            case Signal.TEST_NAME -> new Signal(engine.steps(), control, world.signal());
            case FacebookMessenger.TEST_NAME -> new FacebookMessenger(engine.steps(), control, world.messenger());
            default -> throw new IllegalArgumentException(testName);
        };
    }

    private static AppResult measure(String testName, boolean control) {
        return (AppResult) kind(testName, control ? world.controlUrl() : unreachableControl).measure("");
    }

    record Case(AppScenario app, boolean control, Scenario.Expected expected) {
        @Override
        public String toString() {
            return app + (control ? "" : " (control unreachable)") + " -> " + expected;
        }
    }

    static Stream<Arguments> cases() {
        Stream<Case> withControl = Scenarios.APPS.stream().map(a -> new Case(a, true, a.withControl()));
        Stream<Case> withoutControl = Scenarios.APPS.stream().filter(a -> a.withoutControl() != null).map(a -> new Case(a, false, a.withoutControl()));
        return Stream.concat(withControl, withoutControl).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictMatchesWhatTheCensorDid(Case c) {
        AppResult r = measure(c.app().testName(), c.control());
        Verdict v = r.verdict();
        assertThat(v.status()).as("%s: %s", c, v.explanation()).isEqualTo(c.expected().status());
        assertThat(v.method()).as("%s: %s", c, v.explanation()).isEqualTo(c.expected().method());
        assertThat(v.flags()).as(c.toString()).containsAll(c.expected().flags());
        assertThat(c.expected().matches(v)).isTrue();
        assertThat(v.explanation()).isNotBlank();
    }

    @Test
    void everyKindOfTheProbeHasOneAppInTheTable() {
        assertThat(Scenarios.APPS).extracting(AppScenario::testName)
                .containsExactlyInAnyOrder(Telegram.TEST_NAME, WhatsApp.TEST_NAME, Signal.TEST_NAME, FacebookMessenger.TEST_NAME);
    }

    /** The demo must never contact the real apps: every address and name of the world's endpoints is the world's. */
    @Test
    void theWorldsEndpointsAreAllInsideTheWorld() {
        List<String> hosts = new ArrayList<>();
        hosts.addAll(world.telegram().datacenters());
        hosts.add(HttpUrl.get(world.telegram().web()).host());
        hosts.addAll(world.whatsapp().endpoints());
        hosts.add(HttpUrl.get(world.whatsapp().registration()).host());
        hosts.add(HttpUrl.get(world.whatsapp().web()).host());
        world.signal().services().forEach(s -> hosts.add(HttpUrl.get(s).host()));
        hosts.add(world.signal().uptime());
        world.messenger().services().forEach(s -> hosts.add(s.host()));
        assertThat(hosts).allSatisfy(h -> assertThat(h.endsWith(".example") || PUBLIC.contains(h)).as(h).isTrue());
        assertThat(world.messenger().addressSpace()).containsExactly(AddressRange.parse(CensoredWorld.FACEBOOK_RANGE));
        assertThat(world.signal().roots()).doesNotContainAnyElementsOf(Signal.bundledRoots());
    }

    @Test
    void telegramsDataCentresRefusedHereAnswerTheControl() {
        AppResult r = measure(Telegram.TEST_NAME, true);
        assertThat(r.appKeys()).containsEntry("telegram_tcp_blocking", true).containsEntry("telegram_http_blocking", true)
                .containsEntry("telegram_web_status", "ok");
        assertThat(r.records().tcpConnect()).filteredOn(c -> world.telegram().datacenters().contains(c.ip()))
                .hasSize(4).allSatisfy(c -> assertThat(c.failure()).isEqualTo("connection_refused"));
        assertThat(r.control().available()).isTrue();
        for (String dc : world.telegram().datacenters()) {
            for (int port : new int[] {80, 443}) assertThat(r.control().tcp(dc + ":" + port)).isEqualTo(AppControl.Outside.ANSWERED);
        }
    }

    @Test
    void whatsappsPort443IsRefusedAndItsPort5222Answers() {
        AppResult r = measure(WhatsApp.TEST_NAME, true);
        assertThat(r.appKeys()).containsEntry("whatsapp_endpoints_status", "ok").containsEntry("whatsapp_endpoints_blocked", List.of())
                .containsEntry("registration_server_status", "ok").containsEntry("whatsapp_web_status", "ok");
        List<TcpConnect> endpoints = r.records().tcpConnect().stream().filter(c -> c.ip().startsWith("127.100.2.")).toList();
        assertThat(endpoints).filteredOn(c -> c.port() == 443).hasSize(3).allSatisfy(c -> assertThat(c.failure()).isEqualTo("connection_refused"));
        assertThat(endpoints).filteredOn(c -> c.port() == 5222).hasSize(3).allSatisfy(c -> assertThat(c.success()).isTrue());
        assertThat(r.control().asked()).as("nothing failed that OONI counts: no control asked").isFalse();
    }

    @Test
    void signalsServicesAreInterceptedByTheGovernmentLikeRoot() {
        AppResult r = measure(Signal.TEST_NAME, true);
        assertThat(r.appKeys()).containsEntry("signal_backend_status", "blocked").containsEntry("signal_backend_failure", "ssl_unknown_authority");
        assertThat(r.records().tlsHandshakes()).hasSize(2).allSatisfy(h -> assertThat(h.failure()).isEqualTo("ssl_unknown_authority"));
        assertThat(r.verdict().explanation()).contains("Qaznet Trust Network");
        assertThat(r.control().asked()).as("an interception is evidence in itself").isFalse();
    }

    @Test
    void messengersNamesResolveOutsideFacebookHereAndInsideForTheControl() {
        AppResult r = measure(FacebookMessenger.TEST_NAME, true);
        assertThat(r.appKeys()).containsEntry("facebook_dns_blocking", true).containsEntry("facebook_tcp_blocking", false)
                .containsEntry("facebook_b_api_dns_consistent", false).containsEntry("facebook_stun_dns_consistent", false);
        assertThat(r.records().queries().stream().flatMap(q -> q.addresses().stream())).isNotEmpty().containsOnly(CensoredWorld.CENSOR_SERVER);
        assertThat(r.control().dns()).allSatisfy(a -> assertThat(AddressRange.parse(CensoredWorld.FACEBOOK_RANGE).contains(a)).isTrue())
                .isNotEmpty();
    }
}
