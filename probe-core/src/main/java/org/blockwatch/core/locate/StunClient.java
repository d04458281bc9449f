package org.blockwatch.core.locate;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The probe's public address as a STUN server sees it: one RFC 5389 Binding request over UDP,
 * sent again at 0.5 s, 1 s and 2 s (within the timeout) when no answer comes, as RFC 5389 retransmits.
 * Reads XOR-MAPPED-ADDRESS, or the older MAPPED-ADDRESS. A response that does not carry this
 * request's transaction id, or is malformed, is ignored. Stateless and thread-safe.
 */
public final class StunClient {
    static final int MAGIC_COOKIE = 0x2112A442;
    static final short BINDING_REQUEST = 0x0001;
    static final short BINDING_SUCCESS = 0x0101;
    static final short MAPPED_ADDRESS = 0x0001;
    static final short XOR_MAPPED_ADDRESS = 0x0020;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StunClient() {}

    /** The mapped address the server at {@code server} reports, or empty when it did not answer in time. */
    public static Optional<InetAddress> publicAddress(InetSocketAddress server, Duration timeout) throws IOException {
        return bind(server, null, timeout, Wire.NONE);
    }

    /**
     * What a binding does on the wire, as it happens: a measurement's network events. Sizes only:
     * an answer carries this machine's public address, and is never handed out.
     */
    public interface Wire {
        Wire NONE = new Wire() {};

        default void connected(InetSocketAddress server) {}

        default void wrote(int bytes) {}

        default void read(int bytes) {}
    }

    /**
     * One binding to {@code server}, sent from {@code local} (null: the system's choice): the
     * mapped address of the first valid answer to this request, or empty when none came within
     * {@code timeout}. {@code wire} is told of each datagram.
     *
     * @throws java.net.PortUnreachableException when the host answered that nothing listens there
     */
    public static Optional<InetAddress> bind(InetSocketAddress server, InetAddress local, Duration timeout, Wire wire) throws IOException {
        if (!Thread.currentThread().isVirtual()) return exchange(server, local, timeout, wire);
        // On a virtual thread, a timed receive can stay parked long past its timeout (seen with JDK 25
        // in a busy JVM: a sweep waited on it for good). The exchange runs on a platform thread of its
        // own, whose receive timeout is the kernel's; the caller waits for it to finish, not for a timer.
        java.util.concurrent.FutureTask<Optional<InetAddress>> exchange =
                new java.util.concurrent.FutureTask<>(() -> exchange(server, local, timeout, wire));
        Thread.ofPlatform().daemon().name("stun-binding").start(exchange);
        try {
            return exchange.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during a STUN binding");
        }
    }

    private static Optional<InetAddress> exchange(InetSocketAddress server, InetAddress local, Duration timeout, Wire wire) throws IOException {
        byte[] transaction = newTransaction();
        byte[] request = bindingRequest(transaction);
        long deadline = System.nanoTime() + timeout.toNanos();
        long resendAfterMillis = 500;
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0));
        // A receive that outlives the deadline (a timeout the runtime failed to deliver: a sweep once
        // hung on one) is ended by closing its socket; the exchange then reports no answer.
        java.util.concurrent.ScheduledFuture<?> guard = WATCHDOG.schedule(socket::close, timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        try (socket) {
            socket.connect(server);
            wire.connected(server);
            byte[] buffer = new byte[1500];
            while (true) {
                socket.send(new DatagramPacket(request, request.length));
                wire.wrote(request.length);
                long resendAt = Math.min(deadline, System.nanoTime() + resendAfterMillis * 1_000_000);
                resendAfterMillis *= 2;
                while (true) {
                    long wait = (resendAt - System.nanoTime()) / 1_000_000;
                    if (wait <= 0) break;
                    socket.setSoTimeout((int) wait);
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    } catch (java.net.SocketException e) {
                        if (socket.isClosed() && System.nanoTime() >= deadline) return Optional.empty(); // the watchdog's close
                        throw e;
                    }
                    wire.read(packet.getLength());
                    Optional<InetAddress> mapped = parse(Arrays.copyOf(packet.getData(), packet.getLength()), transaction);
                    if (mapped.isPresent()) return mapped;
                }
                if (System.nanoTime() >= deadline) return Optional.empty();
            }
        } finally {
            guard.cancel(false);
        }
    }

    /** Closes the sockets of exchanges past their deadline (one daemon thread for every binding). */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private static java.util.concurrent.ScheduledThreadPoolExecutor watchdog() {
        java.util.concurrent.ScheduledThreadPoolExecutor w = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("stun-watchdog").unstarted(r));
        w.setRemoveOnCancelPolicy(true);
        return w;
    }

    /** A new transaction id: 96 random bits. */
    public static byte[] newTransaction() {
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        return transaction;
    }

    /** An RFC 5389 Binding request (20 bytes, no attribute) for {@code transaction}. */
    public static byte[] bindingRequest(byte[] transaction) {
        return ByteBuffer.allocate(20).putShort(BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(transaction).array();
    }

    /** The mapped address in a Binding success response to {@code transaction}; empty for anything else. */
    public static Optional<InetAddress> parse(byte[] message, byte[] transaction) {
        if (message.length < 20) return Optional.empty();
        ByteBuffer b = ByteBuffer.wrap(message);
        short type = b.getShort();
        int length = Short.toUnsignedInt(b.getShort());
        if (type != BINDING_SUCCESS || b.getInt() != MAGIC_COOKIE || 20 + length > message.length) return Optional.empty();
        byte[] id = new byte[12];
        b.get(id);
        if (!Arrays.equals(id, transaction)) return Optional.empty();
        InetAddress plain = null;
        while (b.position() + 4 <= 20 + length) {
            short attribute = b.getShort();
            int size = Short.toUnsignedInt(b.getShort());
            if (b.position() + size > 20 + length) return Optional.empty();
            byte[] value = new byte[size];
            b.get(value);
            b.position(Math.min(b.limit(), b.position() + (4 - size % 4) % 4)); // attributes are padded to 4 bytes
            if (attribute == XOR_MAPPED_ADDRESS) {
                Optional<InetAddress> a = address(value, true, transaction);
                if (a.isPresent()) return a;
            } else if (attribute == MAPPED_ADDRESS && plain == null) {
                plain = address(value, false, transaction).orElse(null);
            }
        }
        return Optional.ofNullable(plain);
    }

    private static Optional<InetAddress> address(byte[] value, boolean xor, byte[] transaction) {
        if (value.length < 4) return Optional.empty();
        int family = value[1];
        int size = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (size < 0 || value.length < 4 + size) return Optional.empty();
        byte[] raw = Arrays.copyOfRange(value, 4, 4 + size);
        if (xor) {
            byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transaction).array();
            for (int i = 0; i < size; i++) raw[i] ^= key[i];
        }
        try {
            return Optional.of(InetAddress.getByAddress(raw));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }
}
