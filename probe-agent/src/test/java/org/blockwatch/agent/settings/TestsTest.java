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
        List<Target> targets = Tests.targets(Settings.defaults(), List.of(PAGE)).stream().filter(t -> !t.testName().equals("dnscheck")).toList();
        assertThat(targets).extracting(Target::label).containsExactly("https://a.example/", "facebook_messenger", "telegram", "whatsapp", "signal");
        Target telegram = targets.get(2);
        assertThat(telegram.testName()).isEqualTo("telegram");
        assertThat(telegram.input()).isEmpty();
        assertThat(telegram.category()).isEqualTo("COMT");
        assertThat(telegram.source()).isEqualTo("tests.enabled");
        assertThat(telegram.webUrl()).isEmpty();
        assertThat(Settings.defaults().get(Keys.TESTS_ENABLED)).doesNotContain("stunreachability");
    }

    /** Issue 31: dnscheck is on by default, each resolver of tests.dnscheck.resolvers a target, its URL its input. */
    @Test
    void theDefaultResolversAreMeasuredEachATargetOfItsUrl() {
        assertThat(Settings.defaults().get(Keys.TESTS_ENABLED)).contains("dnscheck").doesNotContain("portfiltering");
        List<Target> resolvers = Tests.targets(Settings.defaults(), List.of(PAGE)).stream().filter(t -> t.testName().equals("dnscheck")).toList();
        assertThat(resolvers).extracting(Target::input).containsExactlyElementsOf(Keys.DNSCHECK_RESOLVERS.defaultValue());
        // The five operators people in Kazakhstan use, each over plain DNS, DoT and DoH.
        assertThat(resolvers).extracting(Target::input).hasSize(15).contains("udp://8.8.8.8", "udp://1.1.1.1", "udp://9.9.9.9", "udp://77.88.8.8",
                "udp://94.140.14.14", "dot://common.dot.dns.yandex.net", "https://dns.adguard-dns.com/dns-query");
        assertThat(resolvers).allSatisfy(t -> {
            assertThat(t.category()).isEqualTo("HOST");
            assertThat(t.source()).isEqualTo("tests.dnscheck.resolvers");
            assertThat(t.label()).isEqualTo(t.input());
            assertThat(t.webUrl()).isEmpty();
            assertThat(t.domestic()).isFalse();
            org.blockwatch.core.dns.ResolverUrl.parse(t.input());
        });
        Dns dns = Dns.from(Settings.defaults());
        assertThat(dns.dnscheck().domains()).containsExactly("example.org");
        assertThat(dns.extraResolvers()).extracting(org.blockwatch.core.dns.ResolverUrl::text).containsExactly("https://cloudflare-dns.com/dns-query");
        assertThat(dns.identities().keySet()).containsExactlyInAnyOrder("1.1.1.1", "1.0.0.1", "9.9.9.9");
        assertThat(dns.identities().get("9.9.9.9").matcher("res860.qfra3.rrdns.pch.net").find()).isTrue();
        assertThat(dns.identities().get("1.1.1.1").matcher("FRA").find()).isTrue();
        assertThat(dns.identities().get("1.1.1.1").matcher("ns1.isp.kz").find()).isFalse();
    }

    @Test
    void dnscheckIsTurnedOffByLeavingItOutOfTestsEnabledOrWithNoResolver(@TempDir Path tmp) throws Exception {
        Path c = Files.writeString(tmp.resolve("c.yaml"), "tests:\n  enabled: [web_connectivity]\n");
        assertThat(Tests.targets(CommandSettings.fromFile(c), List.of(PAGE))).extracting(Target::testName).doesNotContain("dnscheck");
        Path none = Files.writeString(tmp.resolve("none.yaml"), "tests:\n  dnscheck:\n    resolvers: []\n");
        assertThat(Tests.targets(CommandSettings.fromFile(none), List.of(PAGE))).extracting(Target::testName).doesNotContain("dnscheck");
    }

    @Test
    void theResolversAndIdentitiesOfAConfigurationAreRead(@TempDir Path tmp) throws Exception {
        Path c = Files.writeString(tmp.resolve("c.yaml"), """
                dns:
                  identities: ["127.0.0.1=^lab-resolver$", "::1=x", "DoT.Lab.Test=^dot$"]
                measurement:
                  extra_resolvers: ["dot://dot.lab.test:8853", "tcp://127.0.0.1:5353"]
                tests:
                  dnscheck:
                    resolvers: ["udp://127.0.0.1:5353"]
                    domains: [lab.test, Open.Test]
                """);
        Dns dns = Dns.from(CommandSettings.fromFile(c));
        assertThat(dns.extraResolvers()).extracting(org.blockwatch.core.dns.ResolverUrl::text).containsExactly("dot://dot.lab.test:8853", "tcp://127.0.0.1:5353");
        assertThat(dns.identities().keySet()).containsExactlyInAnyOrder("127.0.0.1", "0:0:0:0:0:0:0:1", "dot.lab.test");
        assertThat(dns.dnscheck().domains()).containsExactly("lab.test", "open.test");
        assertThat(dns.dnscheck().identities()).containsKey("dot.lab.test");
        // The web's interception checks: the path's resolver (with an identity) over UDP, the tcp:// extra one over TCP; never the DoT one.
        var checks = dns.interception(org.blockwatch.core.dns.ResolverAddress.parse("127.0.0.1:53"), java.time.Duration.ofSeconds(1)).checks();
        assertThat(checks).extracting(x -> x.engine() + " " + x.address()).containsExactly("udp 127.0.0.1:53", "tcp 127.0.0.1:5353");
        assertThat(checks).allSatisfy(x -> assertThat(x.identity().expected().pattern()).isEqualTo("^lab-resolver$"));
        // A resolver without an identity is not checked.
        assertThat(dns.interception(org.blockwatch.core.dns.ResolverAddress.parse("192.0.2.1:53"), java.time.Duration.ofSeconds(1)).checks())
                .extracting(x -> x.engine() + " " + x.address()).containsExactly("tcp 127.0.0.1:5353");
        assertThat(Dns.NONE.interception(org.blockwatch.core.dns.ResolverAddress.parse("127.0.0.1:53"), java.time.Duration.ofSeconds(1)))
                .isSameAs(org.blockwatch.core.dns.DnsInterception.none());
    }

    @Test
    void theExtraResolversAreTurnedOffByTheOptionOrAnEmptyList(@TempDir Path tmp) throws Exception {
        Path c = Files.writeString(tmp.resolve("c.yaml"), "measurement:\n  extra_resolvers: []\n");
        assertThat(ProbeFactory.probe(CommandSettings.fromFile(c).with(Keys.RESOLVER,
                org.blockwatch.core.dns.ResolverAddress.parse("127.0.0.1:5353"))).engine().extraResolvers()).isEmpty();
        Settings s = Settings.defaults().with(Keys.NO_EXTRA_RESOLVERS, true).with(Keys.RESOLVER, org.blockwatch.core.dns.ResolverAddress.parse("127.0.0.1:5353"));
        assertThat(s.extraResolvers()).isEmpty();
        assertThat(ProbeFactory.probe(s).engine().extraResolvers()).isEmpty();
        assertThat(ProbeFactory.probe(s.with(Keys.NO_EXTRA_RESOLVERS, false)).engine().extraResolvers()).hasSize(1);
    }

    /** Issue 31: portfiltering runs only with a helper; the helper is given as a host or as the kind's input; its ports and interval. */
    @Test
    void portfilteringNeedsAHelperAndTakesItAsAHostOrItsInput(@TempDir Path tmp) throws Exception {
        Path without = Files.writeString(tmp.resolve("without.yaml"), "tests:\n  enabled: [web_connectivity, portfiltering]\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(without)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("tests.enabled: portfiltering needs a helper, and tests.portfiltering.helper is not set");
        for (String[] given : new String[][] {{"ports.example.org", "portfilter://ports.example.org"}, {"Ports.Example.Org", "portfilter://ports.example.org"},
                {"192.0.2.7", "portfilter://192.0.2.7"}, {"'2001:db8::7'", "portfilter://[2001:db8::7]"}, {"'portfilter://[2001:db8::7]'", "portfilter://[2001:db8::7]"},
                {"portfilter://ports.example.org", "portfilter://ports.example.org"}}) {
            Path c = Files.writeString(tmp.resolve("with.yaml"), "tests:\n  enabled: [portfiltering]\n  portfiltering:\n    helper: " + given[0] + "\n");
            Settings s = CommandSettings.fromFile(c);
            assertThat(s.get(Keys.PORTFILTERING_HELPER)).as(given[0]).isEqualTo(given[1]);
            assertThat(Tests.targets(s, List.of(PAGE))).as("not a sweep's target").isEmpty();
        }
        Settings defaults = Settings.defaults();
        assertThat(defaults.get(Keys.PORTFILTERING_HELPER)).isNull();
        assertThat(defaults.portFilteringPorts()).isEqualTo(org.blockwatch.core.portfiltering.PortFiltering.Ports.DEFAULT);
        assertThat(defaults.get(Keys.PORTFILTERING_INTERVAL)).isEqualTo(java.time.Duration.ofHours(6));
        Path ports = Files.writeString(tmp.resolve("ports.yaml"), "tests:\n  portfiltering:\n    tcp_ports: [3785]\n    dns_ports: [53]\n    quic_ports: []\n");
        assertThat(ProbeFactory.probe(CommandSettings.fromFile(ports).with(Keys.EXTRA_RESOLVERS, List.of())).ports())
                .isEqualTo(new org.blockwatch.core.portfiltering.PortFiltering.Ports(List.of(3785), List.of(53), List.of()));
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
            "enabled: [web_connectivity, icq]                         | tests.enabled              | 'icq' is not one of",
            "dnscheck:\\n    resolvers: ['ftp://dns.example']          | tests.dnscheck.resolvers   | scheme 'ftp' is not a resolver's",
            "dnscheck:\\n    resolvers: ['udp://8.8.8.8/dns-query']    | tests.dnscheck.resolvers   | a udp:// resolver has no path",
            "dnscheck:\\n    resolvers: ['udp://8.8.8.8?sni=x']        | tests.dnscheck.resolvers   | unknown option 'sni'",
            "dnscheck:\\n    domains: ['not a name']                   | tests.dnscheck.domains     | is not a host name",
            "dnscheck:\\n    domains: [a.test, b.test, c.test, d.test, e.test] | tests.dnscheck.domains | at most 4 names to look up, not 5",
            "dnscheck:\\n    domains: []                               | tests.dnscheck.domains     | no name to look up",
            "portfiltering:\\n    helper: 'portfilter://h.example:80' | tests.portfiltering.helper | no port in the input",
            "portfiltering:\\n    helper: 'https://h.example/'      | tests.portfiltering.helper | expected portfilter://HOST",
            "portfiltering:\\n    tcp_ports: [22, 70000]            | tests.portfiltering.tcp_ports | 70000 is out of range 1 to 65535",
            "portfiltering:\\n    tcp_ports: [53, 53]               | tests.portfiltering.tcp_ports | tcp/53 is given twice",
            "portfiltering:\\n    tcp_ports: []\\n    dns_ports: []\\n    quic_ports: [] | tests.portfiltering.quic_ports | no port to try",
            "portfiltering:\\n    interval: 1m                      | tests.portfiltering.interval | 1m is out of range 10m to 7d"})
    void aBadValueIsRefusedNamingTheKey(String yaml, String key, String what, @TempDir Path tmp) throws Exception {
        refused("tests:\n  " + yaml.replace("\\n", "\n") + "\n", key, what, tmp);
    }

    /** The DNS keys outside tests: refused in the same way, naming the key. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "measurement:\\n  extra_resolvers: ['8.8.8.8']                | measurement.extra_resolvers | no scheme",
            "measurement:\\n  extra_resolvers: ['dot://dns.google:99999'] | measurement.extra_resolvers | port must be 1-65535",
            "dns:\\n  identities: ['1.1.1.1']                             | dns.identities | is not HOST=REGEX",
            "dns:\\n  identities: ['1.1.1.1=[A-Z']                        | dns.identities | '[A-Z' is not a regular expression",
            "dns:\\n  identities: ['1.1.1.1=']                            | dns.identities | the pattern after '=' is empty",
            "dns:\\n  identities: ['a resolver=x']                        | dns.identities | 'a resolver' is not an IP address or a host name",
            "dns:\\n  identities: ['1.1.1.1=a', '1.1.1.1=b']              | dns.identities | 1.1.1.1 is given twice"})
    void aBadDnsValueIsRefusedNamingTheKey(String yaml, String key, String what, @TempDir Path tmp) throws Exception {
        refused(yaml.replace("\\n", "\n") + "\n", key, what, tmp);
    }

    private static void refused(String yaml, String key, String what, Path tmp) throws Exception {
        Files.writeString(tmp.resolve("not-a-cert.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        Path c = Files.writeString(tmp.resolve("c.yaml"), yaml);
        assertThatThrownBy(() -> ProbeFactory.probe(CommandSettings.fromFile(c)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(what);
    }
}
