package org.blockwatch.core.verdict;

import org.blockwatch.core.verdict.Verdict.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/** The analysis of one measurement: OONI's result fields and blockwatch's verdict. */
public record Analysis(String dnsConsistency, HttpComparison http, Verdict verdict) {

    /** OONI's {@code blocking}: the method (TLS and throttling, which OONI has not, folded into http-failure), false, or null. */
    public Object blocking() {
        return switch (verdict.status()) {
            case BLOCKED -> (verdict.method() == Method.TLS || verdict.method() == Method.THROTTLING ? Method.HTTP_FAILURE : verdict.method()).label();
            case ACCESSIBLE, DOWN -> false;
            case INCONCLUSIVE -> null;
        };
    }

    /** OONI's {@code accessible}. */
    public Boolean accessible() {
        return switch (verdict.status()) {
            case ACCESSIBLE -> true;
            case BLOCKED, DOWN -> false;
            case INCONCLUSIVE -> null;
        };
    }

    /** OONI's fields this analysis adds to {@code test_keys} (blockwatch's verdict is added by the document, as {@code x_verdict}). */
    public Map<String, Object> testKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("dns_consistency", dnsConsistency);
        keys.put("body_length_match", http.bodyLengthMatch());
        // OONI's body_proportion is a number, 0 when not computed (a computed one is never 0: both lengths are positive).
        keys.put("body_proportion", http.bodyProportion() == null ? Double.valueOf(0) : http.bodyProportion());
        keys.put("status_code_match", http.statusCodeMatch());
        keys.put("headers_match", http.headersMatch());
        keys.put("title_match", http.titleMatch());
        keys.put("blocking", blocking());
        keys.put("accessible", accessible());
        return keys;
    }
}
