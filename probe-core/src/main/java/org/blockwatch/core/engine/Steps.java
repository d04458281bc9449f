package org.blockwatch.core.engine;

import java.util.concurrent.ExecutorService;
import org.blockwatch.core.dns.DnsMeasurer;
import org.blockwatch.core.http.HttpFetcher;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.tls.TlsHandshaker;
import org.blockwatch.core.tls.TrustRoots;

/**
 * An engine's steps, for the kinds of measurement that are not a web page's (the apps): the same
 * resolvers, sockets, timeouts, listener and roots as Web Connectivity, so that an app and a site
 * measured by one probe are measured alike. The executor is the engine's (virtual threads).
 */
public record Steps(EngineConfig config, DnsMeasurer dns, TcpConnector tcp, TlsHandshaker tls, HttpFetcher http, ExecutorService executor) {
    /** The same steps, but a chain is valid only when it ends in one of {@code roots} (an app that pins its own root). */
    public Steps pinnedTo(TrustRoots roots) {
        TlsClient client = new TlsClient(roots);
        return new Steps(config, dns, tcp, new TlsHandshaker(client), new HttpFetcher(client, config.sockets()), executor);
    }
}
