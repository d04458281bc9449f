package org.blockwatch.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.messenger.FacebookMessenger;
import org.blockwatch.core.signal.Signal;
import org.blockwatch.core.telegram.Telegram;
import org.blockwatch.core.whatsapp.WhatsApp;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The apps (issue 30): on by default, each a target named by its test name, their endpoints from the tests.<app> keys. */
class TestsTest {
    private static final Target PAGE = new Target(org.blockwatch.core.engine.TargetUrl.parse("https://a.example/"), "NEWS", "News Media", "test");

    @Test
    void theFourAppsAreMeasuredByDefaultEachATargetNamedByItsTestName() {
        List<Target> targets = Tests.targets(Settings.defaults(), List.of(PAGE));
        assertThat(targets).extracting(Target::label).containsExactly("https://a.example/", "facebook_messenger", "telegram", "whatsapp", "signal");
        Target telegram = targets.get(2);
        assertThat(telegram.testName()).isEqualTo("telegram");
        assertThat(telegram.input()).isEmpty();
        assertThat(telegram.category()).isEqualTo("COMT");
        assertThat(telegram.source()).isEqualTo("tests.enabled");
        assertThat(telegram.webUrl()).isEmpty();
        assertThat(Settings.defaults().get(Keys.TESTS_ENABLED)).doesNotContain("stunreachability");
    }

    @Test
    void eachAppIsTurnedOffByLeavingItOutOfTestsEnabled(@TempDir Path tmp) throws Exception {
        Path c = Files.writeString(tmp.resolve("c.yaml"), "tests:\n  enabled: [web_connectivity, signal]\n");
        assertThat(Tests.targets(CommandSettings.fromFile(c), List.of(PAGE))).extracting(Target::label).containsExactly("https://a.example/", "signal");
        Path none = Files.writeString(tmp.resolve("none.yaml"), "tests:\n  enabled: [web_connectivity]\n");
        assertThat(Tests.targets(CommandSettings.fromFile(none), List.of(PAGE))).extracting(Target::label).containsExactly("https://a.example/");
    }

    @Test
    void theDefaultsAreTheKindsOwnEndpoints() {
        Apps apps = Apps.from(Settings.defaults());
        assertThat(apps.telegram()).isEqualTo(Telegram.Endpoints.DEFAULT);
        assertThat(apps.whatsapp()).isEqualTo(WhatsApp.Endpoints.DEFAULT);
        assertThat(apps.signal()).isEqualTo(Signal.Endpoints.DEFAULT);
        assertThat(apps.messenger()).isEqualTo(FacebookMessenger.Endpoints.DEFAULT);
        assertThat(ProbeFactory.probe(Settings.defaults()).apps()).isEqualTo(Apps.DEFAULT);
    }

    @Test
    void aConfigurationPointsEveryAppElsewhere(@TempDir Path tmp) throws Exception {
        CertificateAuthority ca = CertificateAuthority.root("CN=Signal lab root");
        ca.writePem(tmp.resolve("signal-root.pem"));
        Path c = Files.writeString(tmp.resolve("c.yaml"), """
                tests:
                  telegram:
                    datacenters: [127.0.0.1, "::1"]
                    web: https://web.telegram.test:8443/
                  whatsapp:
                    endpoints: [e1.whatsapp.test]
                    registration: https://v.whatsapp.test/v2/register
                    web: https://web.whatsapp.test/
                  signal:
                    services: [https://chat.signal.test/]
                    uptime: uptime.signal.test
                    roots: [signal-root.pem]
                  facebook_messenger:
                    services: [b_api=b-api.facebook.test, stun=stun.facebook.test]
                    address_space: [127.0.0.0/8]
                """);
        Settings s = CommandSettings.fromFile(c);
        Apps apps = ProbeFactory.probe(s).apps();
        assertThat(apps.telegram().datacenters()).containsExactly("127.0.0.1", "::1");
        assertThat(apps.telegram().web()).isEqualTo("https://web.telegram.test:8443/");
        assertThat(apps.whatsapp()).isEqualTo(new WhatsApp.Endpoints(List.of("e1.whatsapp.test"), "https://v.whatsapp.test/v2/register",
                "https://web.whatsapp.test/"));
        assertThat(apps.signal().services()).containsExactly("https://chat.signal.test/");
        assertThat(apps.signal().uptime()).isEqualTo("uptime.signal.test");
        assertThat(apps.signal().roots()).containsExactly(ca.certificate());
        assertThat(apps.messenger().services()).containsExactly(new FacebookMessenger.Service("b_api", "b-api.facebook.test"),
                new FacebookMessenger.Service("stun", "stun.facebook.test"));
        assertThat(apps.messenger().addressSpace()).hasSize(1);
        assertThat(apps.messenger().addressSpace().getFirst().contains("127.9.9.9")).isTrue();
    }

    /** A bad value is refused when the file loads, or when the probe is made, naming the key and what is wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "telegram:\\n    datacenters: [telegram.org]              | tests.telegram.datacenters | 'telegram.org' is not an IP address",
            "telegram:\\n    datacenters: []                          | tests.telegram.datacenters | empty",
            "telegram:\\n    web: http://web.telegram.org/            | tests.telegram.web         | is not an https:// URL",
            "whatsapp:\\n    endpoints: ['e1 whatsapp']               | tests.whatsapp.endpoints   | is not a host name",
            "whatsapp:\\n    registration: ftp://v.whatsapp.net/      | tests.whatsapp.registration | is not an https:// URL",
            "signal:\\n    services: [https://chat.signal.org/, x]    | tests.signal.services      | 'x' is not an https:// URL",
            "signal:\\n    roots: [absent.pem]                        | tests.signal.roots         | absent.pem: no such file",
            "signal:\\n    roots: [not-a-cert.pem]                    | tests.signal.roots         | not-a-cert.pem",
            "facebook_messenger:\\n    services: [b-api.facebook.com] | tests.facebook_messenger.services | is not key=host",
            "facebook_messenger:\\n    services: [a=x.test, a=y.test] | tests.facebook_messenger.services | the key 'a' is given twice",
            "facebook_messenger:\\n    address_space: [10.0.0.0/99]   | tests.facebook_messenger.address_space | 10.0.0.0/99",
            "enabled: [web_connectivity, icq]                         | tests.enabled              | 'icq' is not one of"})
    void aBadValueIsRefusedNamingTheKey(String yaml, String key, String what, @TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("not-a-cert.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        Path c = Files.writeString(tmp.resolve("c.yaml"), "tests:\n  " + yaml.replace("\\n", "\n") + "\n");
        assertThatThrownBy(() -> ProbeFactory.probe(CommandSettings.fromFile(c)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(what);
    }
}
