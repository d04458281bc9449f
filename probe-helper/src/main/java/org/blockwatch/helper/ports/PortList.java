package org.blockwatch.helper.ports;

import java.util.ArrayList;
import java.util.List;

/** A list of ports as an operator writes it, {@code 22,53,443}: read once, with what is wrong named. */
public final class PortList {
    /** More ports than anyone needs to find a way out; each costs a socket and a thread. */
    public static final int MOST = 256;

    private PortList() {}

    /**
     * The ports of {@code text} (empty for an empty text), in its order.
     *
     * @param what the option or key it came from, for the message
     * @throws IllegalArgumentException naming {@code what} and the port at fault
     */
    public static List<Integer> parse(String text, String what) {
        List<Integer> ports = new ArrayList<>();
        if (text == null || text.isBlank()) return ports;
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int port;
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + p + "' is not a port number (expected a list such as 22,53,443)");
            }
            if (port < 1 || port > 65535) throw new IllegalArgumentException(what + ": " + port + " is not a port (1 to 65535)");
            if (ports.contains(port)) throw new IllegalArgumentException(what + ": " + port + " is given twice");
            ports.add(port);
        }
        if (ports.size() > MOST) throw new IllegalArgumentException(what + ": " + ports.size() + " ports; at most " + MOST);
        return ports;
    }
}
