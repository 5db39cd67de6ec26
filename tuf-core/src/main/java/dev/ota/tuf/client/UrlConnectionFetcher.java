package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;

/**
 * {@link Fetcher} over {@link HttpURLConnection}: the lean choice for a process that runs one refresh and exits
 * (the device CLI), starting in tens of milliseconds where {@code java.net.http} needs hundreds. Same defences:
 * one request per call, no redirects, a length cap while streaming, and a limit on the whole transfer.
 */
public final class UrlConnectionFetcher implements Fetcher {
    private final Duration connectTimeout;
    private final Duration timeout;

    /** @param timeout most time one whole download may take */
    public UrlConnectionFetcher(Duration connectTimeout, Duration timeout) {
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
    }

    @Override
    public byte[] fetch(URI url, long maxLength) {
        String u = url.toString();
        HttpURLConnection c;
        int status;
        try {
            URLConnection conn = url.toURL().openConnection();
            if (!(conn instanceof HttpURLConnection http)) throw new DownloadException(u, "not an HTTP(S) URL");
            c = http;
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            status = c.getResponseCode();
        } catch (IOException | IllegalArgumentException e) {
            throw new DownloadException(u, "request failed: " + e.getMessage(), e);
        }
        if (status != 200) {
            c.disconnect();
            throw new HttpStatusException(u, status);
        }
        long declared = c.getContentLengthLong();
        if (declared > maxLength) {
            c.disconnect();
            throw new DownloadException(u, "exceeds the length limit of " + maxLength + " bytes (announced " + declared + ")");
        }
        try (InputStream in = c.getInputStream()) {
            return CappedRead.read(in, maxLength, timeout, u);
        } catch (IOException e) {
            throw new DownloadException(u, "transfer failed: " + e.getMessage(), e);
        }
    }
}
