package org.blockwatch.core.nettest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;

/**
 * A measurement written once, in its final form: OONI's envelope around the kind's
 * {@code test_keys}, blockwatch's verdict as {@code x_verdict} (OONI's prefix for keys of one's
 * own), the report, the {@code measurement_uid}, the target list's category, and every address of
 * the probe scrubbed from the tree. The store keeps these bytes; uploads send them as the
 * collector protocol's {@code content}, and {@code export --format ooni-jsonl} prints them,
 * unchanged.
 */
public final class OoniDocument {
    /** blockwatch's verdict in {@code test_keys}: the one name, everywhere a document goes. */
    public static final String VERDICT_KEY = "x_verdict";
    /** How many addresses of the probe were replaced, at the top of a document where any was. */
    public static final String SCRUBBED_KEY = "x_scrubbed_addresses";

    private OoniDocument() {}

    /** Where a document belongs: its report, its id, the category of its target (null for none). */
    public record Place(Report report, String measurementUid, String category) {}

    public static ObjectNode tree(Measurement m, ProbeInfo probe, Place place, ProbeAddressScrubber scrubber) {
        Result r = m.result();
        ObjectNode keys = r.testKeys(probe);
        keys.set(VERDICT_KEY, MeasurementJson.mapper().valueToTree(r.verdict()));
        ObjectNode doc = MeasurementJson.envelope(
                new MeasurementJson.Header(m.testName(), m.testVersion(), r.input(), r.startTime(), r.runtimeSeconds(), r.resolverAddress()),
                probe, place.report(), keys);
        ObjectNode helpers = (ObjectNode) doc.get("test_helpers");
        for (Map.Entry<String, Result.TestHelper> h : r.testHelpers().entrySet()) {
            helpers.putObject(h.getKey()).put("address", h.getValue().address()).put("type", h.getValue().type());
        }
        if (place.measurementUid() != null) doc.put("measurement_uid", place.measurementUid());
        // The target list's category, where OONI's annotations carry it: fleet timelines need it.
        if (place.category() != null) ((ObjectNode) doc.get("annotations")).put("category_code", place.category());
        int scrubbed = scrubber.scrub(doc);
        if (scrubbed == 0) return doc;
        // First in the document, where a reader of the text sees at once that something was taken out.
        ObjectNode counted = MeasurementJson.mapper().createObjectNode().put(SCRUBBED_KEY, scrubbed);
        counted.setAll(doc);
        return counted;
    }

    /** The document's text: the bytes stored, uploaded and exported. */
    public static String write(Measurement m, ProbeInfo probe, Place place, ProbeAddressScrubber scrubber) {
        try {
            return MeasurementJson.mapper().writeValueAsString(tree(m, probe, place, scrubber));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a measurement could not be written as JSON", e);
        }
    }
}
