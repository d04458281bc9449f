package org.blockwatch.sim;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.function.Consumer;

/** The accept loop of the simulated servers: each connection, kept in {@code open}, served on a virtual thread of its own. */
final class Acceptor {
    private Acceptor() {}

    /** Accepts on {@code server} until it closes, on a virtual thread named {@code name}. */
    static void start(String name, ServerSocket server, Set<Socket> open, Consumer<Socket> handler) {
        Thread.ofVirtual().name(name).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread.ofVirtual().start(() -> handler.accept(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }
}
