package org.blockwatch.core.portfiltering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/** The input, the configuration and the verdict's rules, without a network. */
class PortFilteringRulesTest {
    private static ChannelOutcome open(String label) {
        return new ChannelOutcome(Channel.parse(label), ChannelOutcome.Status.OPEN, null);
    }

    private static ChannelOutcome failed(String label, String failure) {
        return new ChannelOutcome(Channel.parse(label), ChannelOutcome.Status.FAILED, failure);
    }

    @Test
    void theInputIsAHelperByNameOrAddressWithoutAPort() {
        assertThat(PortFilterTarget.parse("portfilter://Helper.Example")).isEqualTo(new PortFilterTarget("portfilter://Helper.Example", "helper.example"));
        assertThat(PortFilterTarget.parse("portfilter://203.0.113.7/").host()).isEqualTo("203.0.113.7");
        assertThat(PortFilterTarget.parse("portfilter://[2001:db8::7]").host()).isEqualTo("2001:db8::7");
        assertThatThrownBy(() -> PortFilterTarget.parse("helper.example")).hasMessageContaining("expected portfilter://HOST");
        assertThatThrownBy(() -> PortFilterTarget.parse("stun://helper.example:3478")).hasMessageContaining("expected portfilter://HOST");
        assertThatThrownBy(() -> PortFilterTarget.parse("portfilter://helper.example:22")).hasMessageContaining("no port in the input");
        assertThatThrownBy(() -> PortFilterTarget.parse("portfilter://helper.example/x?y")).hasMessageContaining("only a host");
        assertThatThrownBy(() -> PortFilterTarget.parse("portfilter://")).hasMessageContaining("portfilter://HOST");
    }

    @Test
    void portsAreCheckedAndEachChannelIsLabelled() {
        assertThat(PortFiltering.Ports.DEFAULT.channels()).extracting(Channel::label).containsExactly("tcp/22", "tcp/53", "tcp/80", "tcp/443",
                "tcp/853", "tcp/1194", "tcp/3785", "tcp/5222", "tcp/8080", "udp/53", "quic/443");
        assertThatThrownBy(() -> new PortFiltering.Ports(List.of(22, 22), List.of(), List.of())).hasMessageContaining("tcp/22 is given twice");
        assertThatThrownBy(() -> new PortFiltering.Ports(List.of(70000), List.of(), List.of())).hasMessageContaining("tcp/70000: a port is 1 to 65535");
        assertThatThrownBy(() -> new PortFiltering.Ports(List.of(), List.of(), List.of())).hasMessageContaining("no port to try");
        assertThat(Channel.parse("QUIC/443")).isEqualTo(new Channel(Channel.Service.QUIC, 443));
        assertThatThrownBy(() -> Channel.parse("sctp/1")).hasMessageContaining("is not a channel");
    }

    @Test
    void everyChannelOpenIsAccessible() {
        Verdict v = PortFiltering.decide("h.example", List.of(open("tcp/22"), open("udp/53"), open("quic/443")));
        assertThat(v.status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(v.explanation()).contains("tcp/22, udp/53, quic/443");
    }

    @Test
    void someChannelsThroughAndOthersNotIsBlockedAtTheIpLayerNamingBoth() {
        Verdict v = PortFiltering.decide("h.example", List.of(failed("tcp/22", "connection_refused"), open("tcp/3785"),
                failed("quic/443", "generic_timeout_error"), open("udp/53")));
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.TCP_IP);
        assertThat(v.explanation()).contains("tcp/22 connection_refused, quic/443 generic_timeout_error")
                .contains("these still reach it: tcp/3785, udp/53");
    }

    @Test
    void nothingThroughIsInconclusiveAndChannelsTheHelperDoesNotServeCountForNeither() {
        Verdict none = PortFiltering.decide("h.example", List.of(failed("tcp/22", "generic_timeout_error"), failed("udp/53", "generic_timeout_error")));
        assertThat(none.status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(none.explanation()).contains("cannot be told from a network cut off");
        Verdict aside = PortFiltering.decide("h.example", List.of(open("tcp/443"),
                new ChannelOutcome(Channel.parse("tcp/22"), ChannelOutcome.Status.NOT_SERVED, "connection_refused")));
        assertThat(aside.status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(aside.explanation()).contains("does not listen there: tcp/22");
    }
}
