package org.blockwatch.sim;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** For tests' hand-made servers that answer badly on purpose: reading one HTTP/1.1 request off a socket. */
public final class RawHttp {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    private RawHttp() {}

    /** Reads a request's head, then its body by its Content-Length (none for a GET); returns the head. */
    public static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new EOFException();
            head.append((char) b);
        }
        Matcher m = CONTENT_LENGTH.matcher(head);
        if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
        return head.toString();
    }
}
