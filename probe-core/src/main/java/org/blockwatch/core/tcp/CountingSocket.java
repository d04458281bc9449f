package org.blockwatch.core.tcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain socket that counts the bytes it received (a TLS socket layered on it reads through it,
 * so its records count too). The HTTP step reads it to tell a response head over OkHttp's limit
 * from a peer that closed in the middle of one: OkHttp reports both as the same EOF.
 */
public final class CountingSocket extends Socket {
    private final AtomicLong received = new AtomicLong();

    CountingSocket() {
        super(Proxy.NO_PROXY);
    }

    /** Bytes read from this socket so far. */
    public long received() {
        return received.get();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return new FilterInputStream(super.getInputStream()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) received.incrementAndGet();
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) received.addAndGet(n);
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                if (skipped > 0) received.addAndGet(skipped);
                return skipped;
            }
        };
    }
}
