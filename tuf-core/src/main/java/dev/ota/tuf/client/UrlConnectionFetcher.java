package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Fetcher} over {@link HttpURLConnection}: the lean choice for a process that runs one refresh and exits
 * (the device CLI), starting in tens of milliseconds where {@code java.net.http} needs hundreds. Same defences:
 * one request per call, no redirects, a length cap while streaming, and a limit on the whole transfer.
 * <p>
 * The limit is enforced without touching the body stream from another thread: closing a keep-alive response
 * body early hands its socket to the JDK's keep-alive cleaner, which drains the rest of the body while holding
 * the stream's lock, so a reader blocked on that lock waits for the whole trickle (slow retrieval succeeds). So
 * until the headers are in, a watchdog may disconnect (that closes the socket); from then on the reading thread
 * itself checks the deadline after every read. A download therefore takes at most {@code timeout} plus one
 * read timeout (also {@code timeout}).
 */
public final class UrlConnectionFetcher implements Fetcher {
    private static final int HEADERS = 0;
    private static final int BODY = 1;
    private static final int ABORTED = 2;

    private final Duration connectTimeout;
    private final Duration timeout;
    private final java.util.Map<String, String> headers;

    /** @param timeout most time one whole download may take */
    public UrlConnectionFetcher(Duration connectTimeout, Duration timeout) {
        this(connectTimeout, timeout, java.util.Map.of());
    }

    private UrlConnectionFetcher(Duration connectTimeout, Duration timeout, java.util.Map<String, String> headers) {
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.headers = java.util.Map.copyOf(headers);
    }

    /**
     * The same fetcher sending {@code name: value} with every request, e.g. the bearer token a device's director
     * repository needs (device-api.md). The value is never part of an exception message.
     */
    public UrlConnectionFetcher withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new UrlConnectionFetcher(connectTimeout, timeout, h);
    }

    @Override
    public byte[] fetch(URI url, long maxLength) {
        String u = url.toString();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpURLConnection c;
        try {
            URLConnection conn = url.toURL().openConnection();
            if (!(conn instanceof HttpURLConnection http)) throw new DownloadException(u, "not an HTTP(S) URL");
            c = http;
        } catch (IOException | IllegalArgumentException e) {
            throw new DownloadException(u, "request failed: " + e.getMessage(), e);
        }
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        headers.forEach(c::setRequestProperty);
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        // Whoever moves the phase on first wins: the reader (headers complete) or the watchdog (time is up).
        AtomicInteger phase = new AtomicInteger(HEADERS);
        ScheduledFuture<?> guard = CappedRead.after(timeout, () -> {
            if (phase.compareAndSet(HEADERS, ABORTED)) c.disconnect();
        });
        int status;
        try {
            status = c.getResponseCode();
        } catch (IOException | IllegalArgumentException e) {
            if (phase.get() == ABORTED) throw CappedRead.tooSlow(u, timeout);
            throw new DownloadException(u, "request failed: " + e.getMessage(), e);
        } finally {
            guard.cancel(false);
        }
        if (!phase.compareAndSet(HEADERS, BODY)) throw CappedRead.tooSlow(u, timeout);
        if (status != 200) {
            c.disconnect();
            throw new HttpStatusException(u, status);
        }
        long declared = c.getContentLengthLong();
        if (declared > maxLength) {
            c.disconnect();
            throw new DownloadException(u, "exceeds the length limit of " + maxLength + " bytes (announced " + declared + ")");
        }
        byte[] body;
        try (InputStream in = c.getInputStream()) {
            body = CappedRead.readBefore(in, maxLength, deadline, timeout, u);
        } catch (IOException e) {
            throw new DownloadException(u, "transfer failed: " + e.getMessage(), e);
        }
        // HttpURLConnection ends a body silently when the connection drops before the announced length: a dropped
        // link, which the caller may retry, not bytes that fail verification (a device would report an attack).
        if (declared >= 0 && body.length != declared) {
            throw new DownloadException(u, "transfer failed: the connection ended after " + body.length + " of the "
                    + declared + " bytes announced");
        }
        return body;
    }
}
