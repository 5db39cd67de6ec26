package dev.ota.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A file as the device API serves it: the exact stored bytes, their length and SHA-256 (the ETag),
 * and whether the name can ever point at other bytes ({@link Freshness}). Immutable; the quoted
 * ETag is built once here rather than on every request for the file.
 */
public final class ServedFile {
    private final String contentType;
    private final long length;
    private final String sha256;
    private final String etag;
    private final Freshness freshness;
    private final Body body;

    public ServedFile(String contentType, long length, String sha256, Freshness freshness, Body body) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.length = length;
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
        this.etag = '"' + sha256 + '"';
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.body = Objects.requireNonNull(body, "body");
    }

    public String contentType() {
        return contentType;
    }

    public long length() {
        return length;
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public String sha256() {
        return sha256;
    }

    /** The strong entity tag: the SHA-256 in double quotes. */
    public String etag() {
        return etag;
    }

    public Freshness freshness() {
        return freshness;
    }

    public Body body() {
        return body;
    }

    /** The same bytes under a name of another freshness (the unversioned alias of a versioned file). */
    public ServedFile as(Freshness other) {
        return new ServedFile(contentType, length, sha256, other, body);
    }

    /** How long an HTTP cache may keep the response. */
    public enum Freshness {
        /** A versioned or content-addressed name: these bytes never change. */
        IMMUTABLE,
        /** An unversioned name ({@code timestamp.json}): moves with every publish. */
        CURRENT
    }

    /** The bytes, written without copying. */
    public sealed interface Body permits InMemory, OnDisk {
        void writeTo(OutputStream out) throws IOException;

        /** Bytes {@code offset .. offset + count - 1} only: a device resuming an interrupted download. */
        void writeTo(OutputStream out, long offset, long count) throws IOException;
    }

    /** Bytes held by the server's cache; never handed out as a mutable array. */
    public static final class InMemory implements Body {
        private final byte[] bytes;

        InMemory(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public void writeTo(OutputStream out, long offset, long count) throws IOException {
            out.write(bytes, Math.toIntExact(offset), Math.toIntExact(count));
        }
    }

    /** A blob in the content-addressed store; streamed from disk. */
    public static final class OnDisk implements Body {
        private final Path file;

        OnDisk(Path file) {
            this.file = file;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
        }

        @Override
        public void writeTo(OutputStream out, long offset, long count) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                // Reads from the offset on without reading what the device already has.
                channel.position(offset);
                InputStream in = Channels.newInputStream(channel);
                byte[] buf = new byte[64 * 1024];
                long left = count;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) throw new IOException("stored blob is shorter than its recorded length: " + file);
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }
}
