package dev.sluice.examples.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads whole capture files in tests and keeps copies of what the reader handed out. */
final class CaptureReads {

    /** A datagram as read, with its payload copied. */
    record Received(String source, int sourcePort, String destination, int destinationPort, long micros,
            byte[] payload, boolean partial) {
    }

    /** Everything a reader yields, and its final stats. */
    record Result(List<Received> datagrams, CaptureStats stats) {
        Received only() {
            if (datagrams.size() != 1) {
                throw new AssertionError("expected exactly one datagram, got " + datagrams);
            }
            return datagrams.get(0);
        }
    }

    private CaptureReads() {
    }

    static Result readAll(Path file) throws IOException, CaptureFormatException {
        try (CaptureReader reader = CaptureReader.open(file)) {
            return drain(reader);
        }
    }

    static Result readAll(Path file, CaptureFormat format) throws IOException, CaptureFormatException {
        try (CaptureReader reader = CaptureReader.open(file, format)) {
            return drain(reader);
        }
    }

    /** Reads from a stream, where the reader does not know the size up front. */
    static Result readStream(byte[] content, CaptureFormat format) throws IOException, CaptureFormatException {
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(content), format)) {
            return drain(reader);
        }
    }

    static Result drain(CaptureReader reader) throws IOException, CaptureFormatException {
        List<Received> all = new ArrayList<>();
        UdpDatagram d;
        while ((d = reader.next()) != null) {
            all.add(new Received(d.source().getHostAddress(), d.sourcePort(), d.destination().getHostAddress(),
                    d.destinationPort(), d.timestampMicros(), d.payloadBytes(), d.partial()));
        }
        return new Result(all, reader.stats());
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
