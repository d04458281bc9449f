package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.agent.settings.CommandSettings;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Kind;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.targets.ListUpdater;
import org.blockwatch.core.control.OoniHelpers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consent is honest: the texts a volunteer agrees to (English, Russian, Kazakh) and the pages on the
 * risks name every party that the default settings contact, by its host, and the key that turns
 * it off. The parties are derived from the code's defaults (every key of the settings table whose
 * default names a host, and the constants the code contacts by default), so that a new default
 * party that the texts do not name fails here.
 */
class ConsentTest {
    /** A URL's host. */
    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)");
    /** A DNS name of two labels or more, with a letter, optionally with a port: {@code host:port}. */
    private static final Pattern HOST = Pattern.compile("^((?=[^:]*[a-zA-Z])[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+)(?::\\d+)?$");

    /** The texts a volunteer reads before agreeing. */
    private static Map<String, String> texts() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Language l : Language.values()) out.put("consent_" + ConsentText.code(l) + ".txt", ConsentText.of(l).text());
        out.put("docs/risks.md", Files.readString(Path.of("../docs/risks.md")));
        out.put("docs/risks.ru.md", Files.readString(Path.of("../docs/risks.ru.md")));
        out.put("docs/risks.kk.md", Files.readString(Path.of("../docs/risks.kk.md")));
        return out;
    }

    /** OONI's key and a host, as tests.facebook_messenger.services writes a service: {@code b_api=b-api.facebook.com}. */
    private static final Pattern KEYED = Pattern.compile("^[a-z][a-z0-9_]*=(.+)$");

    /**
     * The host a default value names, or null when it names none (a duration, a list name, a word);
     * an IP address is a party too (Telegram's data centres).
     */
    static String hostOf(Object value) {
        if (!(value instanceof String text)) return null;
        Matcher keyed = KEYED.matcher(text);
        String s = keyed.matches() ? keyed.group(1) : text;
        if (org.blockwatch.core.ip.IpLiteral.parse(s).isPresent()) return s;
        Matcher u = URL.matcher(s);
        if (u.find()) return u.group(1).toLowerCase();
        Matcher h = HOST.matcher(s);
        return h.matches() ? h.group(1).toLowerCase() : null;
    }

    /**
     * Keys whose default names a host that is asked about, never contacted: dnscheck's names
     * (example.org), which the resolvers are asked for (the texts say so).
     */
    static final Set<Key<?>> NAMES_ASKED = Set.of(Keys.DNSCHECK_DOMAINS);

    /** The hosts each key's default names, by key (only keys that name one). */
    static Map<Key<?>, Set<String>> defaultHostsByKey() {
        Map<Key<?>, Set<String>> out = new LinkedHashMap<>();
        for (Key<?> k : Keys.ALL) {
            if (NAMES_ASKED.contains(k)) continue;
            List<Object> values = new ArrayList<>();
            if (k.defaultValue() instanceof List<?> list) values.addAll(list);
            else values.add(k.defaultValue());
            Set<String> hosts = new LinkedHashSet<>();
            for (Object v : values) {
                String h = hostOf(v);
                if (h != null) hosts.add(h);
            }
            if (!hosts.isEmpty()) out.put(k, hosts);
        }
        return out;
    }

    /** Every host the code contacts by default: the settings' defaults, and the constants used as defaults. */
    static Set<String> defaultHosts() {
        Set<String> out = new LinkedHashSet<>();
        defaultHostsByKey().values().forEach(out::addAll);
        for (String url : OoniHelpers.URLS) out.add(URI.create(url).getHost());
        out.add(URI.create(ListUpdater.CITIZENLAB).getHost()); // `targets update`'s default --url
        return out;
    }

    /** A name numbered in a series (e1.whatsapp.net ... e16.whatsapp.net). */
    private static final Pattern NUMBERED = Pattern.compile("^([a-z]+)(\\d+)(\\..+)$");

    /**
     * What a text must contain to name {@code hosts}: each host, but a series of numbered names
     * by its first and last ("e1.whatsapp.net to e16.whatsapp.net"), each of which must be there.
     */
    static Set<String> named(Set<String> hosts) {
        Map<String, List<Integer>> series = new LinkedHashMap<>();
        for (String h : hosts) {
            Matcher m = NUMBERED.matcher(h);
            if (m.matches()) series.computeIfAbsent(m.group(1) + "#" + m.group(3), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String h : hosts) {
            Matcher m = NUMBERED.matcher(h);
            List<Integer> numbers = m.matches() ? series.get(m.group(1) + "#" + m.group(3)) : null;
            if (numbers == null || numbers.size() < 3) {
                out.add(h);
                continue;
            }
            java.util.Collections.sort(numbers);
            for (int i = 1; i < numbers.size(); i++) {
                assertThat(numbers.get(i)).as("a series named by its ends has no gap: %s", h).isEqualTo(numbers.get(i - 1) + 1);
            }
            out.add(m.group(1) + numbers.getFirst() + m.group(3));
            out.add(m.group(1) + numbers.getLast() + m.group(3));
        }
        return out;
    }

    /** The keys of the apps' endpoints: a party each, turned off by leaving its app out of tests.enabled. */
    static boolean appKey(Key<?> k) {
        return org.blockwatch.agent.settings.Apps.TEST_NAMES.stream().anyMatch(app -> k.name().startsWith("tests." + app + "."));
    }

    @Test
    void theAppsServersAreDefaultParties() {
        // Issue 30: the apps are on by default; every server they contact is a party the texts must name.
        assertThat(Settings.defaults().get(Keys.TESTS_ENABLED)).containsAll(org.blockwatch.agent.settings.Apps.TEST_NAMES);
        assertThat(defaultHosts()).contains("149.154.175.50", "95.161.76.100", "web.telegram.org", "e1.whatsapp.net", "e16.whatsapp.net",
                "v.whatsapp.net", "web.whatsapp.com", "cdsi.signal.org", "chat.signal.org", "sfu.voip.signal.org", "storage.signal.org",
                "uptime.signal.org", "b-api.facebook.com", "b-graph.facebook.com", "edge-mqtt.facebook.com", "external.xx.fbcdn.net",
                "scontent.xx.fbcdn.net", "star.c10r.facebook.com", "stun.fbsbx.com");
        assertThat(named(defaultHosts())).contains("e1.whatsapp.net", "e16.whatsapp.net").doesNotContain("e2.whatsapp.net");
        assertThat(defaultHostsByKey()).containsKeys(Keys.TELEGRAM_DATACENTERS, Keys.TELEGRAM_WEB, Keys.WHATSAPP_ENDPOINTS,
                Keys.WHATSAPP_REGISTRATION, Keys.WHATSAPP_WEB, Keys.SIGNAL_SERVICES, Keys.SIGNAL_UPTIME, Keys.MESSENGER_SERVICES);
    }

    /** Issue 31: dnscheck is on by default (five operators' resolvers) and every page is also resolved by Cloudflare's DoH resolver. */
    @Test
    void theResolversAreDefaultParties() {
        assertThat(Settings.defaults().get(Keys.TESTS_ENABLED)).contains("dnscheck");
        assertThat(defaultHosts()).contains("8.8.8.8", "dns.google", "1.1.1.1", "one.one.one.one", "cloudflare-dns.com", "9.9.9.9", "dns.quad9.net",
                "77.88.8.8", "common.dot.dns.yandex.net", "94.140.14.14", "dns.adguard-dns.com");
        assertThat(defaultHostsByKey().get(Keys.EXTRA_RESOLVERS)).containsExactly("cloudflare-dns.com");
        assertThat(defaultHostsByKey()).containsKey(Keys.DNSCHECK_RESOLVERS).doesNotContainKey(Keys.DNS_IDENTITIES);
    }

    @Test
    void theDefaultPartiesAreFoundInTheCode() {
        // A floor, so that a derivation that finds nothing cannot pass the test below.
        assertThat(defaultHosts()).contains("0.th.ooni.org", "3.th.ooni.org", "stun.l.google.com", "stun.cloudflare.com",
                "api.ipify.org", "asn.cymru.com", "whoami.akamai.net", "raw.githubusercontent.com");
        assertThat(defaultHostsByKey()).containsKeys(Keys.CONTROL_HELPERS, Keys.STUN_SERVERS, Keys.ADDRESS_URLS, Keys.ASN_ZONE, Keys.WHOAMI);
    }

    @Test
    void theConsentAndTheRisksNameEveryPartyTheDefaultsContact() throws Exception {
        Set<String> hosts = named(defaultHosts());
        for (Map.Entry<String, String> text : texts().entrySet()) {
            for (String host : hosts) assertThat(text.getValue()).as("%s names %s", text.getKey(), host).contains(host);
        }
    }

    @Test
    void theyNameTheKeyThatTurnsEachPartyOff() throws Exception {
        List<Key<?>> keys = new ArrayList<>(defaultHostsByKey().keySet().stream().filter(k -> !appKey(k)).toList());
        // Parties that only a setting adds (a collector, a metrics receiver): the texts say so, by key.
        for (Key<?> k : Keys.inFile()) if (k.kind() instanceof Kind.Url && k.defaultValue() == null) keys.add(k);
        assertThat(keys).contains(Keys.UPLOAD_COLLECTOR, Keys.REMOTE_WRITE_URL);
        for (Map.Entry<String, String> text : texts().entrySet()) {
            for (Key<?> k : keys) assertThat(text.getValue()).as("%s names %s", text.getKey(), k.name()).contains(k.name());
            // An app's servers are turned off by leaving it out of tests.enabled, by its test name.
            assertThat(text.getValue()).as("%s names tests.enabled", text.getKey()).contains(Keys.TESTS_ENABLED.name());
            for (String app : org.blockwatch.agent.settings.Apps.TEST_NAMES) {
                assertThat(text.getValue()).as("%s names %s", text.getKey(), app).contains(app);
            }
            // Issue 31: dnscheck is turned off by its name too, and what a resolver is asked is said.
            assertThat(text.getValue()).as("%s names dnscheck and what it asks", text.getKey()).contains("dnscheck", "example.org", "id.server");
            // A party only a setting adds: the port-filter helper.
            assertThat(text.getValue()).as("%s names the port-filter helper's key", text.getKey()).contains(Keys.PORTFILTERING_HELPER.name(), "portfiltering");
            assertThat(text.getValue()).as("%s: stating the network turns every lookup off", text.getKey())
                    .contains(Keys.ASN.name()).contains(Keys.COUNTRY.name());
        }
    }

    @Test
    void eachPartyIsTurnedOffAsTheTextsSay(@TempDir Path tmp) throws Exception {
        Path off = Files.writeString(tmp.resolve("off.yaml"), """
                control:
                  helpers: []
                network:
                  stun_servers: []
                  address_urls: []
                  asn_zone: ""
                  whoami: ""
                measurement:
                  extra_resolvers: []
                tests:
                  enabled: [web_connectivity]
                  stunreachability:
                    inputs: []
                  dnscheck:
                    resolvers: []
                """);
        Settings s = CommandSettings.fromFile(off);
        assertThat(s.controlHelpers()).isEmpty();
        assertThat(org.blockwatch.agent.settings.Tests.targets(s, List.of())).as("no app, no STUN server is measured").isEmpty();
        assertThat(org.blockwatch.agent.settings.Tests.targets(Settings.defaults(), List.of())).as("by default the apps and the resolvers are")
                .extracting(org.blockwatch.agent.targets.Target::label).containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                        org.blockwatch.agent.settings.Apps.TEST_NAMES.stream(), Keys.DNSCHECK_RESOLVERS.defaultValue().stream()).toList());
        assertThat(s.extraResolvers()).as("no extra resolver").isEmpty();
        for (Key<?> k : defaultHostsByKey().keySet()) {
            if (appKey(k)) continue; // off with its app, above
            Object v = s.get(k);
            Set<String> left = new LinkedHashSet<>();
            for (Object o : v instanceof List<?> list ? list : java.util.Collections.singletonList(v)) {
                if (hostOf(o) != null) left.add(hostOf(o));
            }
            assertThat(left).as("%s, set as the texts say, names no host", k.name()).isEmpty();
        }

        Path stated = Files.writeString(tmp.resolve("stated.yaml"), """
                network:
                  asn: AS9198
                  country: KZ
                """);
        assertThat(ProbeFactory.locator(CommandSettings.fromFile(stated))).as("with both labels stated nothing is looked up").isNull();
        assertThat(ProbeFactory.locator(Settings.defaults())).as("by default the network is looked up").isNotNull();
    }

    @Test
    void theConsentStillSaysWhereTheRisksAreAndThatThereIsRisk() {
        assertThat(Consent.text(Language.ENGLISH)).contains("Running a probe can carry risk").contains("risks.md", "risks.ru.md", "risks.kk.md");
        assertThat(Consent.text(Language.RUSSIAN)).contains("risks.ru.md");
        assertThat(Consent.text(Language.KAZAKH)).contains("risks.kk.md");
    }

    /** Issue 32: risks.md said "Nothing leaves your machine unless you turn uploads on": untrue by default. */
    @Test
    void noTextSaysNothingLeavesTheMachine() throws Exception {
        Pattern untrue = Pattern.compile("(?i)nothing (else )?leaves|stays? on (your|this) (machine|computer)|ничего не (покидает|уходит|отправляется)"
                + "|остаются на (вашем|этом) компьютере|ештеңе (шықпайды|жіберілмейді)");
        for (Map.Entry<String, String> text : texts().entrySet()) {
            assertThat(untrue.matcher(text.getValue()).find()).as("%s: %s", text.getKey(),
                    untrue.matcher(text.getValue()).results().map(m -> m.group()).toList()).isFalse();
        }
    }

    /** The translations follow the English text: the same version, the same questions with the same answers. */
    @Test
    void everyLanguageHasTheTextAndQuestionsOfTheSameVersion() {
        ConsentText en = ConsentText.of(Language.ENGLISH);
        for (Language l : Language.values()) {
            ConsentText t = ConsentText.of(l);
            assertThat(t.version()).as("%s translates version %d", l, en.version()).isEqualTo(en.version());
            assertThat(t.questions()).extracting(ConsentText.Question::id, ConsentText.Question::answer)
                    .containsExactlyElementsOf(en.questions().stream().map(q -> org.assertj.core.groups.Tuple.tuple(q.id(), q.answer())).toList());
            for (String key : List.of("intro", "ask", "invalid", "right", "wrong", "again", "unclear", "agree", "declined")) assertThat(t.word(key)).isNotBlank();
            assertThat(t.answers("true")).as("%s: no word is both true and false", l).doesNotContainAnyElementsOf(t.answers("false"));
        }
        assertThat(ConsentText.of(Language.KAZAKH).text()).as("Kazakh, not a copy").containsPattern("[әғқңөұүһі]").isNotEqualTo(en.text());
        assertThat(ConsentText.of(Language.RUSSIAN).text()).containsPattern("[А-Яа-я]{20,}|риск");
    }
}
