package dev.sluice.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A UDP exporter stand-in: a socket bound to a loopback source address, sending to the collector. */
final class Udp implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress to;

    Udp(String source, InetSocketAddress to) {
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(ip(source), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.to = to;
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    InetAddress source() {
        return socket.getLocalAddress();
    }

    void send(byte[] payload) {
        try {
            socket.send(new DatagramPacket(payload, payload.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    /** Waits until {@code condition} holds, at most {@code max}; fails with {@code what} otherwise. */
    static void await(Duration max, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max + " waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
