package org.blockwatch.core.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.Trace;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Do53 over UDP ({@code udp://IP:53}) as a wire resolver: lookups are {@link DirectDnsClient}'s
 * (every response to a query kept, an injector's first and the resolver's later; a truncated one
 * asked again over TCP), and any other message one datagram each way, the first response that
 * answers it taken. Recorded as OONI's {@code engine} {@code udp}. Thread-safe.
 */
public final class UdpWireResolver extends AbstractWireResolver {
    private static final int MAX_UDP_RESPONSE = 4096;
    private final DirectDnsClient client;

    /** Build it with {@link Resolvers#at}. */
    UdpWireResolver(ResolverUrl url, InetAddress address, Resolvers.Setup setup) {
        super(url, address, setup);
        if (url.protocol() != ResolverUrl.Protocol.UDP) throw new IllegalArgumentException("not a udp:// resolver: " + url);
        this.client = new DirectDnsClient(new ResolverAddress(endpoint.socketAddress()), setup.lateWindow());
    }

    @Override
    public Traced trace(String host, StepContext context) {
        CompletableFuture<DnsResponses> a = CompletableFuture.supplyAsync(() -> client.query(host, Type.A, context), setup.executor());
        CompletableFuture<DnsResponses> aaaa = CompletableFuture.supplyAsync(() -> client.query(host, Type.AAAA, context), setup.executor());
        DnsResponses ra = a.join(), raaaa = aaaa.join();
        List<DnsQuery> late = new ArrayList<>(ra.late());
        late.addAll(raaaa.late());
        String failure = UdpResolver.failure(ra.first(), raaaa.first());
        boolean answered = ra.first().rcode() != null || raaaa.first().rcode() != null;
        return new Traced(new Lookup(List.of(ra.first(), raaaa.first()), late, failure), Transcript.EMPTY,
                failure == null ? null : Operation.RESOLVE, answered);
    }

    @Override
    public DnsExchange exchange(Message query, StepContext context) {
        Scope step = context.open(StepKind.DNS, subject(query));
        WireRecorder recorder = new WireRecorder(context.trace(), step.tx());
        byte[] wire = query.toWire();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(endpoint.socketAddress()); // datagrams from any other source are dropped by the kernel
            socket.send(new DatagramPacket(wire, wire.length));
            recorder.wrote(wire.length);
            long deadline = System.nanoTime() + context.timeout().toNanos();
            byte[] buffer = new byte[MAX_UDP_RESPONSE];
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new SocketTimeoutException("no response");
                socket.setSoTimeout(Trace.millis(java.time.Duration.ofNanos(left)));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                recorder.read(packet.getLength());
                Message response;
                try {
                    response = DnsRecords.response(query, Arrays.copyOf(packet.getData(), packet.getLength()));
                } catch (IOException stray) {
                    continue; // not an answer to this query: wait for one that is
                }
                step.end(DnsRecords.failureOf(response, query.getQuestion().getType()), step.now());
                return new DnsExchange(response, null, null, step.t0(), step.t(), step.tx(), recorder.transcript());
            }
        } catch (IOException e) {
            String failure = step.fail(e);
            recorder.failed("read", failure);
            return new DnsExchange(null, failure == null ? Failure.GENERIC_TIMEOUT : failure, Operation.RESOLVE, step.t0(), step.t(), step.tx(),
                    recorder.transcript());
        }
    }
}
