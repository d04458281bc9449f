package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;

/** The human-readable table of {@code measure}: one row per URL, one column per step. */
final class ObservationTable {
    private static final String[] HEADER = {"URL", "DNS", "TCP", "TLS", "HTTP"};

    private ObservationTable() {}

    static void print(PrintWriter out, List<WebObservation> observations) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (WebObservation o : observations) rows.add(row(o));
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    static String[] row(WebObservation o) {
        return new String[] {o.input(), dns(o), tcp(o), tls(o), http(o)};
    }

    private static String dns(WebObservation o) {
        if (o.queries().isEmpty()) return "-";
        if (o.dnsExperimentFailure() != null) return o.dnsExperimentFailure();
        long addresses = o.queries().stream().flatMap(q -> q.addresses().stream()).distinct().count();
        String late = o.dnsLateReplies().isEmpty() ? "" : ", " + o.dnsLateReplies().size() + " late repl" + (o.dnsLateReplies().size() == 1 ? "y" : "ies");
        return "ok (" + addresses + " addr" + (addresses == 1 ? "" : "s") + late + ")";
    }

    private static String tcp(WebObservation o) {
        if (o.tcpConnect().isEmpty()) return "-";
        long ok = o.tcpConnect().stream().filter(TcpConnect::success).count();
        if (ok == o.tcpConnect().size()) return "ok (" + ok + "/" + ok + ")";
        String firstFailure = o.tcpConnect().stream().map(TcpConnect::failure).filter(f -> f != null).findFirst().orElse("");
        return ok + "/" + o.tcpConnect().size() + " ok, " + firstFailure;
    }

    private static String tls(WebObservation o) {
        if (o.tlsHandshakes().isEmpty()) return "-";
        for (TlsHandshake h : o.tlsHandshakes()) {
            if (h.failure() == null) return "ok (" + h.tlsVersion() + ")";
        }
        return o.tlsHandshakes().get(0).failure();
    }

    private static String http(WebObservation o) {
        HttpTransaction last = o.finalRequest();
        String hops = o.requests().size() > 1 ? " after " + (o.requests().size() - 1) + " redirect" + (o.requests().size() > 2 ? "s" : "") : "";
        if (o.httpExperimentFailure() != null) return o.httpExperimentFailure() + hops;
        if (last == null || last.response() == null) return "-";
        return last.response().code() + (last.response().bodyIsTruncated() ? " (body truncated)" : "") + hops;
    }
}
