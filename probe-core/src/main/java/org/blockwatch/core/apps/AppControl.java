package org.blockwatch.core.apps;

import java.util.List;
import java.util.function.Function;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepListener;

/**
 * The control for an app: the probe's test helper asked, in OONI's protocol, for the app's web
 * address and the endpoints the probe tried, as it is for a web page. OONI's app nettests have no
 * control and decide from the probe's side alone; blockwatch asks one only after something
 * failed here, to tell a block from a service that is down for everyone. Thread-safe.
 */
public final class AppControl {
    /** No control: a failure here stays inconclusive. */
    public static final AppControl NONE = new AppControl(q -> ControlResult.none("control_failure: no control is configured"));

    private final Function<ControlClient.Query, ControlResult> helper;

    /** The probe's test helpers asked through {@code client} (null: no control), their steps observed by {@code listener}. */
    public AppControl(ControlClient client, StepListener listener) {
        this(client == null ? NONE.helper
                : q -> client.run(q, StepContext.standalone(client.total(), client.total(), listener)));
    }

    private AppControl(Function<ControlClient.Query, ControlResult> helper) {
        this.helper = helper;
    }

    /** A control that answers as {@code helper} does (a simulated world's, a test's). */
    public static AppControl answering(Function<ControlClient.Query, ControlResult> helper) {
        return new AppControl(helper);
    }

    /** The helper's measurement of {@code url} and of {@code endpoints} ({@code ip:port}). */
    public View ask(String url, List<String> endpoints) {
        return new View(helper.apply(new ControlClient.Query(TargetUrl.parse(url), endpoints)));
    }

    /** The control not asked: nothing failed here. */
    public static View notAsked() {
        return new View(null);
    }

    /**
     * What the control saw of each part of an app, or that it was not asked (nothing failed here)
     * or could not answer.
     */
    public record View(ControlResult result) {
        public boolean asked() {
            return result != null;
        }

        public boolean available() {
            return result != null && result.available();
        }

        /** Why there is no control answer (OONI's {@code control_failure}); null when there is one or none was asked. */
        public String failure() {
            return result == null || result.available() ? null : result.failure();
        }

        public String helper() {
            return result == null ? null : result.helper();
        }

        /** A TCP connect to {@code endpoint} from outside. */
        public Outside tcp(String endpoint) {
            if (!available()) return Outside.UNKNOWN;
            ControlResponse.TcpConnect c = result.response().tcpConnect().get(endpoint);
            if (c == null) return Outside.UNKNOWN;
            return c.status() ? Outside.ANSWERED : Outside.FAILED;
        }

        /** The URL asked for, fetched from outside. */
        public Outside web() {
            if (!available()) return Outside.UNKNOWN;
            ControlResponse.HttpRequest h = result.response().httpRequest();
            if (h == null) return Outside.UNKNOWN;
            return h.succeeded() ? Outside.ANSWERED : Outside.FAILED;
        }

        /** The URL's host resolved from outside: its addresses (empty when it failed or was not asked). */
        public List<String> dns() {
            if (!available()) return List.of();
            return result.response().dns().failure() == null ? result.response().dns().addrs() : List.of();
        }

        /** The control's part of {@link Reach}. */
        public Reach.Control reach() {
            return !asked() ? Reach.Control.NOT_ASKED : available() ? Reach.Control.ANSWERED : Reach.Control.FAILED;
        }
    }

    /** What the control saw of one part of an app: it answered there, failed there too, or cannot say. */
    public enum Outside { ANSWERED, FAILED, UNKNOWN }
}
