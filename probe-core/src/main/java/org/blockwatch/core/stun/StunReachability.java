package org.blockwatch.core.stun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.dns.SystemResolver;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.locate.StunClient;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.step.Timeouts;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * STUN reachability (OONI's ts-025, probe-cli's {@code stunreachability}): the server's name
 * resolved by the system resolver, then one RFC 5389 Binding request over UDP to its first
 * address, sent again at 0.5 s, 1 s and 2 s within the timeout, and its answer. WebRTC calls
 * (and so many messengers' voice and video) need STUN; censors that block them block it.
 *
 * <p>blockwatch's verdict goes further than OONI, which records only the failure: the same
 * binding from the control tells a block (fails here, answers there) from a server that is down
 * (fails at both). Without a control a failure stays inconclusive. Thread-safe.
 */
public final class StunReachability implements Nettest {
    public static final String TEST_NAME = "stunreachability";
    public static final String TEST_VERSION = "0.4.0";

    private final Duration timeout;
    private final StepListener listener;
    private final StunControl control;
    private final InetAddress localAddress;
    private final SystemResolver resolver = new SystemResolver();

    /**
     * @param timeout each step's: the lookup, then the binding with its retransmissions
     * @param localAddress the address to send from; null for the system's choice (a simulated
     *     world gives the probe an address of its own, for its censor to tell apart)
     */
    public StunReachability(Duration timeout, StepListener listener, StunControl control, InetAddress localAddress) {
        this.timeout = timeout;
        this.listener = listener;
        this.control = control;
        this.localAddress = localAddress;
    }

    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.ENDPOINT);

    @Override
    public Name name() {
        return NAME;
    }

    @Override
    public void check(String input) {
        StunEndpoint.parse(input);
    }

    @Override
    public Result measure(String input) {
        StunEndpoint target = StunEndpoint.parse(input);
        Instant start = Instant.now();
        StepContext context = StepContext.standalone(timeout, Timeouts.standalone(timeout), listener);
        List<DnsQuery> queries = new ArrayList<>();
        List<NetworkEvent> events = new ArrayList<>();
        InetAddress address = IpLiteral.parse(target.host()).orElse(null);
        String failure = null;
        Operation failed = null;
        if (address == null) {
            DnsQuery q = resolver.query(target.host(), context);
            queries.add(q);
            if (q.failure() != null) {
                failure = q.failure();
                failed = Operation.RESOLVE;
            } else {
                address = first(q);
            }
        }
        if (address != null) {
            failure = bind(new InetSocketAddress(address, target.port()), context, events);
            if (failure != null) failed = Operation.READ;
        }
        // The control is asked only when it can change the verdict: after a failure here.
        StunControl.Answer controlled = failure == null ? new StunControl.Answer(false, null, null, null) : control.bind(target);
        double runtime = Duration.between(start, Instant.now()).toNanos() / 1e9;
        return new StunResult(target.input(), start, runtime, target.endpoint(), failure, failed, queries, events, controlled,
                decide(target, failure, failed, controlled));
    }

    /** The address to send to: the first IPv4 answer (UDP over IPv6 is often not routed at home), else the first. */
    private static InetAddress first(DnsQuery q) {
        DnsAnswer pick = q.answers().stream().filter(a -> a.ipv4() != null).findFirst().orElse(q.answers().getFirst());
        return IpLiteral.parse(pick.ipv4() != null ? pick.ipv4() : pick.ipv6()).orElseThrow();
    }

    /** One binding; the failure string, or null when a valid answer to this request came. */
    private String bind(InetSocketAddress server, StepContext context, List<NetworkEvent> events) {
        String address = Endpoint.of(server).toString();
        Scope step = context.open(StepKind.STUN_BINDING, address);
        double[] last = {step.t0()};
        StunClient.Wire wire = new StunClient.Wire() {
            @Override
            public void connected(InetSocketAddress s) {
                events.add(new NetworkEvent("connect", address, "udp", null, null, step.t0(), step.now(), step.tx()));
            }

            @Override
            public void wrote(int bytes) {
                last[0] = step.now();
                events.add(new NetworkEvent("write", null, null, (long) bytes, null, last[0], last[0], step.tx()));
            }

            @Override
            public void read(int bytes) {
                events.add(new NetworkEvent("read", null, null, (long) bytes, null, last[0], step.now(), step.tx()));
            }
        };
        String failure;
        try {
            failure = StunClient.bind(server, localAddress, context.timeout(), wire).isPresent() ? null : Failure.GENERIC_TIMEOUT;
            if (failure == null) step.succeed();
            else step.fail(failure);
        } catch (PortUnreachableException e) {
            // An ICMP port unreachable: something answered for the address, and nothing listens there.
            failure = Failure.CONNECTION_REFUSED;
            step.fail(failure);
        } catch (IOException e) {
            failure = step.fail(e);
        }
        if (failure != null) events.add(new NetworkEvent("read", null, null, null, failure, last[0], step.now(), step.tx()));
        return failure;
    }

    /**
     * The verdict: accessible when the server answered; when it did not, blocked if the control's
     * binding succeeded (by DNS when the name did not resolve here, else at the IP layer), down if
     * the control's failed too, inconclusive with no control to ask.
     */
    static Verdict decide(StunEndpoint target, String failure, Operation failed, StunControl.Answer control) {
        String name = target.endpoint();
        if (failure == null) return new Verdict(Status.ACCESSIBLE, null, List.of(), "The STUN server " + name + " answered a binding request.");
        if (!control.available()) {
            return new Verdict(Status.INCONCLUSIVE, null, List.of(), "The STUN server " + name + " did not answer here (" + failure
                    + ") and no control could be asked (" + control.controlFailure() + "): a block cannot be told from a server that is down.");
        }
        if (control.failure() != null) {
            return new Verdict(Status.DOWN, null, List.of(), "The STUN server " + name + " did not answer here (" + failure
                    + ") nor to the control (" + control.failure() + ").");
        }
        Method method = failed == Operation.RESOLVE ? Method.DNS : Method.TCP_IP;
        return new Verdict(Status.BLOCKED, method, List.of(), "The STUN server " + name + " answered the control but not here ("
                + (failed == Operation.RESOLVE ? "its name did not resolve: " : "no answer over UDP: ") + failure + ").");
    }
}
