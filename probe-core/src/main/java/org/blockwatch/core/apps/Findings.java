package org.blockwatch.core.apps;

import java.util.List;
import okhttp3.HttpUrl;
import org.blockwatch.core.apps.AppControl.Outside;
import org.blockwatch.core.apps.AppVerdict.Finding;
import org.blockwatch.core.verdict.Verdict.Method;

/** The findings the app kinds have in common, each with what the control saw of the same part. */
public final class Findings {
    private Findings() {}

    /**
     * A page that failed here ({@code page} asked of the control as its URL): its name not
     * resolved (the control's lookup says whether it resolves outside), or its connect, handshake
     * or request broken (the control's fetch of it says whether it answers outside).
     */
    public static Finding page(String what, AppTrace.Page page, AppControl.View view) {
        Outside outside;
        if (page.method() == Method.DNS) {
            outside = !view.available() ? Outside.UNKNOWN : view.dns().isEmpty() ? Outside.FAILED : Outside.ANSWERED;
        } else {
            outside = view.web();
        }
        return Finding.of(what, page.method(), page.failure(), outside);
    }

    /**
     * A page that failed here, the control having been asked for another URL: its endpoint among
     * the control's connects. A refused or dropped connect is judged by the control's connect to
     * the same endpoint; a name, handshake or request broken here cannot be judged by a connect.
     */
    public static Finding otherPage(String what, AppTrace.Page page, AppControl.View view) {
        Outside outside = page.method() == Method.TCP_IP && page.endpoint() != null ? view.tcp(page.endpoint()) : Outside.UNKNOWN;
        return Finding.of(what, page.method(), page.failure(), outside);
    }

    /** Whether any of {@code endpoints} accepted the control's connection; failed when all were tried and none did. */
    public static Outside anyAnswered(List<String> endpoints, AppControl.View view) {
        boolean unknown = false;
        for (String e : endpoints) {
            Outside o = view.tcp(e);
            if (o == Outside.ANSWERED) return Outside.ANSWERED;
            if (o == Outside.UNKNOWN) unknown = true;
        }
        return unknown ? Outside.UNKNOWN : Outside.FAILED;
    }

    /**
     * @throws IllegalArgumentException naming the kind, when {@code url} is not an https URL (an
     *     app's web client and services are HTTPS: a plain one would measure something else)
     */
    public static HttpUrl requireHttps(String kind, String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
        if (parsed == null || !parsed.isHttps()) throw new IllegalArgumentException(kind + ": '" + url + "' is not an https:// URL");
        return parsed;
    }
}
