package org.blockwatch.agent.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.blockwatch.agent.store.StoreException;

/**
 * Blocking timelines from one or more stores (several volunteers), merged by network: the
 * measurements of every store stream through one {@link TimelineBuilder} in network, target and
 * time order; those made while a probe's own network was down are left out of the targets' rows
 * and make that outage's row instead. Target rows come first (by network, target, time), then
 * the outages. Memory: one cursor per store, one open interval, and the outages.
 */
public final class Timelines {
    private static final Comparator<TimelinePoint> ORDER = Comparator.comparing(TimelinePoint::probeAsn)
            .thenComparing(TimelinePoint::probeCc).thenComparing(TimelinePoint::target).thenComparing(TimelinePoint::at);

    private Timelines() {}

    public static void write(List<ExportStore> stores, ExportQuery q, Consumer<TimelineRow> out) throws StoreException {
        Consumer<TimelineRow> filtered = row -> {
            if (q.wantsState(row.state())) out.accept(row.target().isEmpty() ? row : row.withResolvers(resolvers(stores, row)));
        };
        List<Source> sources = new ArrayList<>();
        try {
            for (ExportStore s : stores) sources.add(new Source(s, s.outages(), s.measurements(q, true, false)));
            PriorityQueue<Source> heads = new PriorityQueue<>(Comparator.comparing((Source s) -> s.head, ORDER));
            for (Source s : sources) {
                if (s.advance()) heads.add(s);
            }
            TimelineBuilder builder = new TimelineBuilder(q.maxGap(), filtered);
            while (!heads.isEmpty()) {
                Source s = heads.poll();
                builder.add(s.head);
                if (s.advance()) heads.add(s);
            }
            builder.finish();
            for (Source s : sources) {
                for (var e : s.outages.entrySet()) {
                    ExportStore.Outage o = e.getKey();
                    Acc a = e.getValue();
                    if (!q.wantsNetwork(o.probeAsn(), o.probeCc())) continue;
                    if (a.count == 0 && !within(q, o.from())) continue;
                    TimelineRow row = a.count > 0
                            ? TimelineRow.outage(o.probeAsn(), o.probeCc(), o.state().label(), a.first, a.last, a.count, a.firstUid, a.lastUid)
                            : TimelineRow.outage(o.probeAsn(), o.probeCc(), o.state().label(), o.from(), o.until(), 0, null, null);
                    filtered.accept(row);
                }
            }
        } catch (StoreFailure e) {
            throw (StoreException) e.getCause();
        } finally {
            for (Source s : sources) s.cursor.close();
        }
    }

    /**
     * The resolvers of a row's first and last measurement (one when they agree), from their documents: looked up per row
     * by uid, not read with every measurement, so that a timeline does not read every document of the store.
     */
    private static List<Resolver> resolvers(List<ExportStore> stores, TimelineRow row) {
        List<Resolver> found = new ArrayList<>();
        for (String uid : new java.util.LinkedHashSet<>(java.util.Arrays.asList(row.firstMeasurementUid(), row.lastMeasurementUid()))) {
            if (uid == null) continue;
            for (ExportStore s : stores) {
                Resolver r;
                try {
                    r = s.resolver(uid);
                } catch (StoreException e) {
                    throw new StoreFailure(e);
                }
                if (r == null) continue;
                if (r.known() && !found.contains(r)) found.add(r);
                break;
            }
        }
        return found;
    }

    /** A store's failure inside a row's consumer, rethrown as it was by {@link #write}. */
    private static final class StoreFailure extends RuntimeException {
        StoreFailure(StoreException e) {
            super(e);
        }
    }

    private static boolean within(ExportQuery q, Instant t) {
        return (q.since() == null || !t.isBefore(q.since())) && (q.until() == null || t.isBefore(q.until()));
    }

    /** Measurements made during one outage. */
    private static final class Acc {
        long count;
        Instant first;
        Instant last;
        String firstUid;
        String lastUid;
    }

    /** One store's cursor, skipping (and counting) what was measured during its network's outages. */
    private static final class Source {
        final ExportStore.Cursor cursor;
        final Map<ExportStore.Outage, Acc> outages = new LinkedHashMap<>();
        TimelinePoint head;

        Source(ExportStore store, List<ExportStore.Outage> outages, ExportStore.Cursor cursor) {
            this.cursor = cursor;
            for (ExportStore.Outage o : outages) this.outages.put(o, new Acc());
        }

        boolean advance() throws StoreException {
            ExportStore.Row r;
            while ((r = cursor.next()) != null) {
                Acc during = null;
                for (var e : outages.entrySet()) {
                    if (e.getKey().covers(r.probeAsn(), r.probeCc(), r.at())) {
                        during = e.getValue();
                        break;
                    }
                }
                if (during == null) {
                    head = new TimelinePoint(r.probeAsn(), r.probeCc(), r.target(), r.category(), r.status(), r.method(), r.at(), r.uid(),
                            r.networkName(), r.flags());
                    return true;
                }
                if (during.count++ == 0) {
                    during.first = r.at();
                    during.firstUid = r.uid();
                }
                if (during.last == null || r.at().isAfter(during.last)) {
                    during.last = r.at();
                    during.lastUid = r.uid();
                }
                // The target's state is unknown during the outage: its interval must not run across it.
                head = TimelinePoint.breakIn(r.probeAsn(), r.probeCc(), r.target(), r.at());
                return true;
            }
            head = null;
            return false;
        }
    }
}
