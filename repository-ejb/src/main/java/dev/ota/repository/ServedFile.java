package dev.ota.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file as the device API serves it: the exact stored bytes, their length and SHA-256 (the ETag),
 * and whether the name can ever point at other bytes ({@link Freshness}).
 */
public record ServedFile(String contentType, long length, String sha256, Freshness freshness, Body body) {

    public ServedFile {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(freshness, "freshness");
        Objects.requireNonNull(body, "body");
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
    }
}
