package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.net.URI;

/** Gets bytes from a URL, never more than a cap. Implementations make exactly one request per call: no retries. */
public interface Fetcher {
    /**
     * @throws HttpStatusException for a non-200 answer
     * @throws DownloadException if more than {@code maxLength} bytes arrive, the transfer is too slow, or the
     *         connection fails
     */
    byte[] fetch(URI url, long maxLength);
}
