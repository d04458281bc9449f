package org.blockwatch.agent.cli;

import java.util.List;
import org.blockwatch.agent.settings.Apps;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.messenger.FacebookMessenger;
import org.blockwatch.core.signal.Signal;
import org.blockwatch.core.telegram.Telegram;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.core.whatsapp.WhatsApp;
import org.blockwatch.scenarios.CensoredWorld;
import org.blockwatch.scenarios.Scenario;
import org.blockwatch.scenarios.Technique;

/**
 * The demo's apps (issue 30): the four app kinds pointed at the censored world's servers (never
 * the apps' own), two of them censored through the world's sites: WhatsApp Web is a site whose
 * TLS handshake the censor resets, Messenger's b_api a name the ISP's resolver denies.
 */
final class DemoApps {
    private DemoApps() {}

    /** An app of the demo, what the censor does to it and the verdict it must get. */
    record App(String testName, String censor, Status status, Method method) {}

    static final List<App> APPS = List.of(
            new App(FacebookMessenger.TEST_NAME, "the ISP's resolver answers NXDOMAIN for b_api's name", Status.BLOCKED, Method.DNS),
            new App(Telegram.TEST_NAME, "nothing", Status.ACCESSIBLE, null),
            new App(WhatsApp.TEST_NAME, "resets WhatsApp Web's TLS handshake", Status.BLOCKED, Method.TLS),
            new App(Signal.TEST_NAME, "nothing", Status.ACCESSIBLE, null));

    /** The apps' endpoints in {@code world}. */
    static Apps of(CensoredWorld world) {
        String open = world.url(scenario(world, Technique.NOTHING));
        String reset = world.url(scenario(world, Technique.TLS_RESET));
        String nxdomain = scenario(world, Technique.DNS_NXDOMAIN).host();
        return new Apps(new Telegram.Endpoints(List.of(CensoredWorld.APP_SERVERS), open),
                new WhatsApp.Endpoints(List.of(CensoredWorld.APP_HOST), open, reset),
                new Signal.Endpoints(List.of(open), CensoredWorld.APP_HOST, List.of(world.root())),
                new FacebookMessenger.Endpoints(List.of(new FacebookMessenger.Service("b_api", nxdomain),
                        new FacebookMessenger.Service("edge", CensoredWorld.APP_HOST)), List.of(AddressRange.parse(CensoredWorld.PUBLIC_RANGE))));
    }

    private static Scenario scenario(CensoredWorld world, Technique technique) {
        return world.scenario(technique, technique != Technique.DNS_NXDOMAIN)
                .or(() -> world.scenario(technique, technique == Technique.DNS_NXDOMAIN))
                .orElseThrow(() -> new IllegalStateException("the demo's world has no site whose censor " + technique.name()));
    }
}
