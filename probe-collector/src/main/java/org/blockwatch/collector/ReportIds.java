package org.blockwatch.collector;

import java.time.Instant;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.Report;

/**
 * The collector's report ids, in the shape OONI's backend gives today
 * ({@code generate_report_id} in ooni/backend): {@code 20231030T084713Z_webconnectivity_IT_30722_n1_<random>},
 * the open time (UTC), the test name without its underscores, the country, the ASN's number, the
 * collector ({@code n1}) and the random part. OONI's random part is 96 bits; bk-003 asks for 256
 * at least from a CSPRNG, so here it is 43 letters and digits (256 bits): the shape OONI's own
 * backend splits on {@code _} and checks is kept, the strength of bk-003 too. Submissions name a
 * report by any id the collector gave, this shape or the older {@code 20190313T131942Z_AS30722_<random>}.
 */
final class ReportIds {
    /** bk-003's alphabet of software_name, software_version and test_name. */
    static final Pattern NAME = Pattern.compile("[0-9A-Za-z_.+-]{1,64}");

    private ReportIds() {}

    /** A new report id, for a report opened at {@code at} by a probe in {@code cc}, {@code asn} ({@code AS30722}): {@link Report#id}. */
    static String next(Instant at, String testName, String cc, String asn) {
        return Report.id(at, testName, cc, asn);
    }

    /** A test name as OONI's ids carry it: {@link Report#compact}. */
    static String compact(String testName) {
        return Report.compact(testName);
    }
}
