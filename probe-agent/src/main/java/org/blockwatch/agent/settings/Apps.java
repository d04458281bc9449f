package org.blockwatch.agent.settings;

import java.util.List;
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

    /** The four kinds, on {@code steps}, asking {@code control} after a failure. */
    public List<Nettest> kinds(Steps steps, AppControl control) {
        return List.of(new FacebookMessenger(steps, control, messenger), new Telegram(steps, control, telegram),
                new WhatsApp(steps, control, whatsapp), new Signal(steps, control, signal));
    }
}
