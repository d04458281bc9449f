package org.blockwatch.core.control.wire;

import java.util.List;
import java.util.Map;

/** What a probe asks a test helper (OONI's TH protocol): fetch this URL, try these endpoints. */
public record ControlRequest(String httpRequest, Map<String, List<String>> httpRequestHeaders, List<String> tcpConnect,
        boolean xQuicEnabled) {
    public ControlRequest {
        httpRequestHeaders = httpRequestHeaders == null ? Map.of() : Map.copyOf(httpRequestHeaders);
        tcpConnect = tcpConnect == null ? List.of() : List.copyOf(tcpConnect);
    }
}
