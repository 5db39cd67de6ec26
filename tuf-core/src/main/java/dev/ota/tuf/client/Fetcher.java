package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Gets bytes from a URL, never more than a cap. Implementations make exactly one request per call: no retries. */
public interface Fetcher {
    /**
     * @throws HttpStatusException for a non-200 answer
     * @throws DownloadException if more than {@code maxLength} bytes arrive, the transfer is too slow, or the
     *         connection fails
     */
    byte[] fetch(URI url, long maxLength);

    /**
     * Continues the download of {@code url} into {@code partial}, which never grows past {@code maxLength}: a
     * fetcher that can asks only for the bytes after those {@code partial} already holds and appends them, and
     * keeps (forced to disk) whatever arrived before a transfer fails, so that the next call goes on from there.
     * The bytes are not verified: the caller checks the whole file. This default fetches the whole body again
     * and replaces the file.
     *
     * @throws HttpStatusException for an answer other than 200 (or 206 to a range)
     * @throws DownloadException   as {@link #fetch}
     */
    default void fetchInto(URI url, long maxLength, Path partial) {
        byte[] body = fetch(url, maxLength);
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(body);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
        }
    }
}
