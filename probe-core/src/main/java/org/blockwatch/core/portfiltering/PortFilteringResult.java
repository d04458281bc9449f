package org.blockwatch.core.portfiltering;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict;

/**
 * One port-filtering measurement: OONI's {@code tcp_connect} (ts-038), and blockwatch's own keys
 * beside it: {@code x_tcp_exchange} (the helper's line on each accepted connection), {@code x_udp}
 * (DNS and QUIC over UDP), {@code x_channels} (what became of each channel), {@code x_surviving}
 * (the labels of the open ones), {@code x_helper_ports} (what the helper said it listens on, or
 * null), {@code x_helper} and {@code x_helper_ip} (the helper asked and its address),
 * {@code x_queries} (its name's lookup) and {@code x_failure} (why nothing was tried, or null).
 *
 * @param ip the helper's address tried; null when its name did not resolve
 * @param failure why nothing was tried (the helper's name did not resolve, its address is refused); null otherwise
 * @param helperPorts what the helper said it listens on; null when no answer of its listed them (the
 *     channels are {@code not_served} by it only when every open channel is on a port it listed)
 */
public record PortFilteringResult(String input, Instant startTime, double runtimeSeconds, String host, String ip, String failure,
        List<DnsQuery> queries, List<TcpConnect> tcpConnect, List<TcpExchange> tcpExchanges, List<UdpExchange> udp, HelperPorts helperPorts,
        List<ChannelOutcome> channels, Verdict verdict) implements Result {

    public PortFilteringResult {
        queries = List.copyOf(queries);
        tcpConnect = List.copyOf(tcpConnect);
        tcpExchanges = List.copyOf(tcpExchanges);
        udp = List.copyOf(udp);
        channels = List.copyOf(channels);
    }

    /**
     * The ways out that reached the helper, its own answer back included, as labels in a stable
     * order (TCP, then DNS over UDP, then QUIC; each by port): {@code [tcp/443, tcp/3785, udp/53,
     * quic/443]}. What the agent publishes when the network is restricted; empty when none did.
     */
    public List<String> surviving() {
        return channels.stream().filter(ChannelOutcome::open).map(o -> o.channel().label()).toList();
    }

    /** The channels that failed on a port the helper serves (or may serve), as labels, in the same order. */
    public List<String> failing() {
        return channels.stream().filter(ChannelOutcome::failed).map(o -> o.channel().label()).toList();
    }

    @Override
    public ObjectNode testKeys(ProbeInfo probe) {
        ObjectMapper m = MeasurementJson.mapper();
        ObjectNode keys = m.createObjectNode();
        keys.set("tcp_connect", m.valueToTree(tcpConnect));
        keys.put("x_helper", host);
        keys.put("x_helper_ip", ip);
        keys.put("x_failure", failure);
        keys.set("x_queries", m.valueToTree(queries));
        keys.set("x_tcp_exchange", m.valueToTree(tcpExchanges));
        keys.set("x_udp", m.valueToTree(udp));
        keys.set("x_helper_ports", m.valueToTree(helperPorts));
        keys.set("x_channels", m.valueToTree(channels));
        keys.set("x_surviving", m.valueToTree(surviving()));
        return keys;
    }

    /** No control: what answered is the helper, through the channels that are open. */
    @Override
    public Reach reach() {
        return new Reach(Reach.Control.NOT_ASKED, channels.stream().anyMatch(ChannelOutcome::open));
    }

    /** Each lookup, connect (a SYN, its answer, the close) and datagram with its IP and transport headers, and every byte exchanged. */
    @Override
    public long bytes() {
        long bytes = 200L * queries.size() + 150L * tcpConnect.size();
        for (TcpExchange x : tcpExchanges) bytes += x.sentBytes() + x.receivedBytes() + 2 * 52;
        for (UdpExchange x : udp) bytes += x.sentBytes() + x.receivedBytes() + 28L * (x.datagramsSent() + x.unexpected() + (x.failure() == null ? 1 : 0));
        return bytes;
    }

    @Override
    public String summary() {
        if (failure != null) return "portfiltering " + host + " failure=" + failure;
        return "portfiltering " + host + " open=" + surviving() + " failed="
                + channels.stream().filter(ChannelOutcome::failed).map(o -> o.channel().label() + "=" + o.failure()).toList();
    }
}
