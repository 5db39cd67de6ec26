package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
        HttpURLConnection c = connect(url, 0);
        int status = status(c, u);
        if (status != 200) {
            c.disconnect();
            throw new HttpStatusException(u, status);
        }
        long declared = declared(c, maxLength, u);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 0) + 1, 64 * 1024));
        long received = copy(c, out, Math.min(maxLength, Integer.MAX_VALUE - 16), maxLength, deadline, u);
        checkComplete(received, declared, u);
        return out.toByteArray();
    }

    /**
     * Resumes with {@code Range: bytes=<have>-}: a 206 starting there is appended, a 200 (a server without ranges)
     * replaces the file. The file is forced to disk however the transfer ends; bytes past the limit are never
     * written. A 206 for another range is a failure that keeps the file as it was.
     */
    @Override
    public void fetchInto(URI url, long maxLength, Path partial) {
        String u = url.toString();
        long deadline = System.nanoTime() + timeout.toNanos();
        long have;
        try {
            have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + partial + ": " + e.getMessage(), e);
        }
        if (have >= maxLength) have = 0;
        HttpURLConnection c = connect(url, have);
        int status = status(c, u);
        boolean append = have > 0 && status == 206;
        if (status != 200 && !append) {
            c.disconnect();
            throw new HttpStatusException(u, status);
        }
        String range = c.getHeaderField("Content-Range");
        if (append && (range == null || !range.trim().startsWith("bytes " + have + "-"))) {
            c.disconnect();
            throw new DownloadException(u, "transfer failed: asked for the bytes from " + have + " on, got " + range);
        }
        long cap = append ? maxLength - have : maxLength;
        long declared = declared(c, cap, u);
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(append ? have : 0).position(append ? have : 0);
            try {
                long received = copy(c, Channels.newOutputStream(ch), cap, maxLength, deadline, u);
                checkComplete(received, declared, u);
            } finally {
                // What arrived is kept for the next attempt, whatever ended this one.
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
        }
    }

    /** Opens the request; {@code from} above 0 asks for the bytes from there on. */
    private HttpURLConnection connect(URI url, long from) {
        String u = url.toString();
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
        if (from > 0) c.setRequestProperty("Range", "bytes=" + from + "-");
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return c;
    }

    /** Waits for the status line and headers, disconnecting when they are not in within the limit. */
    private int status(HttpURLConnection c, String u) {
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
        return status;
    }

    /** The announced length (-1 if none), refused before any body is read when above {@code cap}. */
    private static long declared(HttpURLConnection c, long cap, String u) {
        long declared = c.getContentLengthLong();
        if (declared > cap) {
            c.disconnect();
            throw new DownloadException(u, "exceeds the length limit of " + cap + " bytes (announced " + declared + ")");
        }
        return declared;
    }

    private long copy(HttpURLConnection c, OutputStream out, long cap, long maxLength, long deadline, String u) {
        try (InputStream in = c.getInputStream()) {
            return CappedRead.copyCapped(in, out, cap, maxLength, deadline, timeout, u);
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) throw CappedRead.tooSlow(u, timeout);
            throw new DownloadException(u, "transfer failed: " + e.getMessage(), e);
        }
    }

    /**
     * HttpURLConnection ends a body silently when the connection drops before the announced length: a dropped
     * link, which the caller may retry, not bytes that fail verification (a device would report an attack).
     */
    private static void checkComplete(long received, long declared, String u) {
        if (declared >= 0 && received != declared) {
            throw new DownloadException(u, "transfer failed: the connection ended after " + received + " of the "
                    + declared + " bytes announced");
        }
    }
}
