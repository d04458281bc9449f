package org.blockwatch.agent.run;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.locate.AsInfo;
import org.blockwatch.core.locate.Location;
import org.blockwatch.core.locate.Locator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels of the measurements about to be made: the network looked up before each sweep (the
 * volunteer's stated AS and country override it), and the scrubber of the probe's addresses (the
 * public one, while known, and this machine's). Logs a change of network, and a failed lookup once
 * until it succeeds again; a log line names networks, never the probe's address. A sweep waits
 * for the lookup at most {@link #BUDGET} (in a censored or sealed network every server may be
 * silent): past that it starts with the labels it has, and the lookup's answer serves the next one.
 */
final class ProbeLocation {
    private static final Logger log = LoggerFactory.getLogger(ProbeLocation.class);
    /** How long a sweep waits for the lookup. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    /** The labels and the scrubber for one sweep. */
    record Located(ProbeInfo probe, ProbeAddressScrubber scrubber) {}

    private final Locator locator;
    private final ProbeInfo stated;
    private final String statedAsn;
    private final String statedCc;
    private final String statedName;
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();
    private Future<Location> pending;
    private Located current;
    private ProbeInfo last;
    private boolean failureLogged;

    ProbeLocation(Settings settings, String version) {
        this.locator = ProbeFactory.locator(settings);
        this.stated = ProbeFactory.probeInfo(settings, version);
        this.statedAsn = ProbeFactory.stated(settings.get(Keys.ASN));
        this.statedCc = ProbeFactory.stated(settings.get(Keys.COUNTRY));
        this.statedName = settings.get(Keys.NETWORK_NAME);
    }

    /** The labels before the first lookup. */
    ProbeInfo stated() {
        return stated;
    }

    Located refresh() throws InterruptedException {
        if (locator == null) return new Located(stated, ProbeAddressScrubber.ofThisMachineAnd(List.of()));
        if (current == null) current = new Located(stated, ProbeAddressScrubber.ofThisMachineAnd(List.of()));
        if (pending == null) pending = lookups.submit(locator::locate);
        try {
            Location where = pending.get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
            pending = null;
            current = located(where);
        } catch (TimeoutException e) {
            log.debug("network: the lookup takes longer than {}; this sweep keeps the labels it has", BUDGET);
        } catch (ExecutionException e) {
            pending = null;
            log.warn("network: the lookup failed: {}", e.getCause().toString());
        }
        return current;
    }

    private Located located(Location where) {
        AsInfo net = where.network();
        ProbeInfo probe = new ProbeInfo(statedAsn != null ? statedAsn : net.asnLabel(), statedCc != null ? statedCc : net.cc(),
                statedName.isEmpty() ? net.name() : statedName, stated.softwareName(), stated.softwareVersion(),
                where.resolverEgress() == null ? "" : where.resolverEgress().getHostAddress(), where.resolverNetwork().asnLabel(),
                where.resolverNetwork().name());
        report(where, probe);
        List<InetAddress> own = new ArrayList<>();
        if (where.publicAddress() != null) own.add(where.publicAddress());
        return new Located(probe, ProbeAddressScrubber.ofThisMachineAnd(own));
    }

    private void report(Location where, ProbeInfo probe) {
        if (!where.problems().isEmpty() && !where.network().known()) {
            if (!failureLogged) {
                log.warn("network: not identified ({}); measurements are labelled {} {} until it is, as OONI labels an unknown network",
                        String.join("; ", where.problems()), probe.asn(), probe.cc());
                failureLogged = true;
            }
        } else {
            failureLogged = false;
        }
        if (last != null && Objects.equals(last.asn(), probe.asn()) && Objects.equals(last.cc(), probe.cc())
                && Objects.equals(last.resolverAsn(), probe.resolverAsn())) {
            last = probe;
            return;
        }
        log.info("network: {} ({}{}), resolver {} {}{}{}", probe.asn(), probe.cc(), probe.networkName().isEmpty() ? "" : ", " + probe.networkName(),
                probe.resolverIp().isEmpty() ? "not identified" : probe.resolverIp(), probe.resolverAsn(),
                probe.resolverNetworkName().isEmpty() ? "" : " (" + probe.resolverNetworkName() + ")",
                where.resolverElsewhere() ? ": the resolver's queries leave from another network than the probe's (a public resolver?)" : "");
        last = probe;
    }
}
