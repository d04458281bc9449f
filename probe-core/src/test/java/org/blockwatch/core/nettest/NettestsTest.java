package org.blockwatch.core.nettest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.nettest.Nettest.InputShape;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

class NettestsTest {
    /** A kind with a bug: its measure throws. */
    private static final Nettest BROKEN = new Nettest() {
        @Override
        public Name name() {
            return new Name("broken", "0.0.1", InputShape.ENDPOINT);
        }

        @Override
        public void check(String input) {
            if (!input.startsWith("broken://")) throw new IllegalArgumentException("not broken://");
        }

        @Override
        public Result measure(String input) {
            throw new IllegalStateException("a bug inside the kind");
        }
    };

    @Test
    void anErrorInsideAKindStillGivesItsInputAMeasurementThatSaysSo() {
        Measurement m = Nettests.measure(BROKEN, "broken://x");
        assertThat(m.testName()).isEqualTo("broken");
        assertThat(m.input()).isEqualTo("broken://x");
        assertThat(m.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(m.verdict().explanation()).startsWith("The measurement could not be made (unknown_failure: ");
        var doc = OoniDocument.tree(m, ProbeInfo.UNKNOWN, new OoniDocument.Place(Report.none(m.result().startTime()), "uid", null),
                ProbeAddressScrubber.NONE);
        assertThat(doc.get("test_name").asText()).isEqualTo("broken");
        assertThat(doc.get("test_version").asText()).isEqualTo("0.0.1");
        assertThat(doc.get("test_keys").get("failure").asText()).startsWith("unknown_failure: java.lang.IllegalStateException");
        assertThat(doc.get("test_keys").get(OoniDocument.VERDICT_KEY).get("status").asText()).isEqualTo("inconclusive");
    }

    @Test
    void anInputGoesToTheKindThatTakesIt() {
        Nettests kinds = Nettests.of(List.of(BROKEN));
        assertThat(kinds.kindFor("broken://y")).isSameAs(BROKEN);
        assertThatThrownBy(() -> kinds.kindFor("https://example.org/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken: not broken://");
        assertThatThrownBy(() -> kinds.require("telegram")).hasMessageContaining("there are: broken");
        assertThatThrownBy(() -> Nettests.of(List.of(BROKEN, BROKEN))).hasMessageContaining("two kinds named broken");
    }

    private static Nettest taking(String name, InputShape shape, String prefix) {
        return new Nettest() {
            @Override
            public Name name() {
                return new Name(name, "0.1.0", shape);
            }

            @Override
            public void check(String input) {
                if (!input.startsWith(prefix)) throw new IllegalArgumentException("not " + prefix);
            }

            @Override
            public Result measure(String input) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void aUrlIsAPagesEvenWhenAnEndpointKindSortedFirstTakesItToo() {
        // dnscheck takes a DoH resolver's https:// URL, and sorts before web_connectivity.
        Nettest resolvers = taking("dnscheck", Nettest.InputShape.ENDPOINT, "");
        Nettest pages = taking("web_connectivity", Nettest.InputShape.URL, "https://");
        Nettests kinds = Nettests.of(List.of(resolvers, pages));
        assertThat(kinds.kindFor("https://example.org/")).isSameAs(pages);
        assertThat(kinds.kindFor("dot://dns.example")).isSameAs(resolvers);
    }
}
