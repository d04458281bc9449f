package org.blockwatch.agent.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.messenger.FacebookMessenger;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.signal.Signal;
import org.blockwatch.core.telegram.Telegram;
import org.blockwatch.core.whatsapp.WhatsApp;

/**
 * What the app kinds measure: each app's endpoints, addresses and roots, the OONI specs' and the
 * apps' published ones by default, each replaced by the configuration's {@code tests.<app>.*}
 * keys (a lab puts them inside its sealed network).
 */
public record Apps(Telegram.Endpoints telegram, WhatsApp.Endpoints whatsapp, Signal.Endpoints signal, FacebookMessenger.Endpoints messenger) {
    public static final Apps DEFAULT = new Apps(Telegram.Endpoints.DEFAULT, WhatsApp.Endpoints.DEFAULT, Signal.Endpoints.DEFAULT,
            FacebookMessenger.Endpoints.DEFAULT);

    /** The OONI test names of the app kinds, in the order OONI's "im" suite runs them. */
    public static final List<String> TEST_NAMES = List.of(FacebookMessenger.TEST_NAME, Telegram.TEST_NAME, WhatsApp.TEST_NAME, Signal.TEST_NAME);

    /**
     * The apps' endpoints of the settings' {@code tests.<app>.*} keys.
     *
     * @throws SettingsException naming the key and what is wrong with its value (a roots file that
     *     cannot be read is named, as {@code measurement.trust_ca}'s)
     */
    public static Apps from(Settings s) {
        nonEmpty(s, Keys.TELEGRAM_DATACENTERS);
        nonEmpty(s, Keys.WHATSAPP_ENDPOINTS);
        nonEmpty(s, Keys.SIGNAL_SERVICES);
        nonEmpty(s, Keys.MESSENGER_SERVICES);
        Telegram.Endpoints telegram = endpoints("tests.telegram", () -> new Telegram.Endpoints(s.get(Keys.TELEGRAM_DATACENTERS), s.get(Keys.TELEGRAM_WEB)));
        WhatsApp.Endpoints whatsapp = endpoints("tests.whatsapp", () -> new WhatsApp.Endpoints(s.get(Keys.WHATSAPP_ENDPOINTS),
                s.get(Keys.WHATSAPP_REGISTRATION), s.get(Keys.WHATSAPP_WEB)));
        List<X509Certificate> roots = new ArrayList<>();
        for (Path pem : s.get(Keys.SIGNAL_ROOTS)) {
            try {
                roots.addAll(TrustRoots.readCertificates(pem));
            } catch (IOException e) {
                throw new SettingsException(Keys.SIGNAL_ROOTS.name() + ": " + e.getMessage(), e);
            }
        }
        List<X509Certificate> pinned = roots.isEmpty() ? Signal.bundledRoots() : roots;
        Signal.Endpoints signal = endpoints("tests.signal", () -> new Signal.Endpoints(s.get(Keys.SIGNAL_SERVICES), s.get(Keys.SIGNAL_UPTIME), pinned));
        List<FacebookMessenger.Service> services = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String service : s.get(Keys.MESSENGER_SERVICES)) {
            int eq = service.indexOf('=');
            if (eq < 0) throw new SettingsException(Keys.MESSENGER_SERVICES.name() + ": '" + service + "' is not key=host (e.g. b_api=b-api.facebook.com)");
            String key = service.substring(0, eq).strip();
            if (!keys.add(key)) throw new SettingsException(Keys.MESSENGER_SERVICES.name() + ": the key '" + key + "' is given twice");
            services.add(endpoints(Keys.MESSENGER_SERVICES.name(), () -> new FacebookMessenger.Service(key, service.substring(eq + 1).strip())));
        }
        List<AddressRange> space = new ArrayList<>();
        for (String cidr : s.get(Keys.MESSENGER_ADDRESS_SPACE)) {
            space.add(endpoints(Keys.MESSENGER_ADDRESS_SPACE.name(), () -> AddressRange.parse(cidr)));
        }
        List<AddressRange> addressSpace = space.isEmpty() ? FacebookMessenger.bundledAddressSpace() : space;
        FacebookMessenger.Endpoints messenger = endpoints("tests.facebook_messenger", () -> new FacebookMessenger.Endpoints(services, addressSpace));
        return new Apps(telegram, whatsapp, signal, messenger);
    }

    private static void nonEmpty(Settings s, Key<? extends List<?>> key) {
        if (s.get(key).isEmpty()) {
            throw new SettingsException(key.name() + ": empty; give at least one, or leave the app out of " + Keys.TESTS_ENABLED.name());
        }
    }

    /** The endpoints {@code make} builds; its refusal (which names the app and the value) as the settings' error, under {@code where}. */
    private static <T> T endpoints(String where, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            // The kinds' messages start with the app's name ("telegram: ..."), which where names already.
            String m = String.valueOf(e.getMessage());
            int colon = m.indexOf(": ");
            if (colon > 0 && where.contains(m.substring(0, colon))) m = m.substring(colon + 2);
            throw new SettingsException(where + ": " + m, e);
        }
    }

    /** The four kinds, on {@code steps}, asking {@code control} after a failure. */
    public List<Nettest> kinds(Steps steps, AppControl control) {
        return List.of(new FacebookMessenger(steps, control, messenger), new Telegram(steps, control, telegram),
                new WhatsApp(steps, control, whatsapp), new Signal(steps, control, signal));
    }
}
