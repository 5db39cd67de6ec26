package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a response body with the two defences every fetcher needs: stop as soon as more than the cap has
 * arrived (endless data), and abort when the whole transfer takes longer than the limit (slow retrieval).
 * Two ways to enforce the limit, because the JDK's HTTP stacks differ in what an abort from another thread does:
 * {@link #read} closes the stream from a watchdog thread (right for {@code java.net.http}, whose stream close
 * unblocks the reader at once); {@link #copyCapped} never touches the stream from another thread and checks the
 * deadline after every read instead (right for {@code HttpURLConnection}, see {@link UrlConnectionFetcher}).
 */
final class CappedRead {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tuf-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private CappedRead() {
    }

    /** Runs {@code action} once {@code limit} has passed, on the shared watchdog thread; it must not block. */
    static ScheduledFuture<?> after(Duration limit, Runnable action) {
        return WATCHDOG.schedule(action, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads {@code in}, closing it from the watchdog when {@code limit} has passed; also checks after each read. */
    static byte[] read(InputStream in, long maxLength, Duration limit, String url) {
        AtomicBoolean timedOut = new AtomicBoolean();
        long deadline = System.nanoTime() + limit.toNanos();
        ScheduledFuture<?> guard = after(limit, () -> {
            timedOut.set(true);
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is the abort; a failure to close changes nothing
            }
        });
        try {
            return readCapped(in, maxLength, deadline, limit, url);
        } catch (IOException e) {
            if (timedOut.get()) throw tooSlow(url, limit);
            throw new DownloadException(url, "transfer failed: " + e.getMessage(), e);
        } finally {
            guard.cancel(false);
        }
    }

    private static byte[] readCapped(InputStream in, long maxLength, long deadline, Duration limit, String url) throws IOException {
        long cap = Math.min(maxLength, Integer.MAX_VALUE - 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(cap + 1, 64 * 1024));
        copyCapped(in, out, cap, maxLength, deadline, limit, url);
        return out.toByteArray();
    }

    /**
     * Copies {@code in} to {@code out} on the calling thread, checking {@code deadline} after every read, and
     * fails as soon as more than {@code cap} bytes arrive, having written exactly {@code cap} of them.
     *
     * @param maxLength the limit named in the failure message
     * @return the number of bytes copied
     */
    static long copyCapped(InputStream in, OutputStream out, long cap, long maxLength, long deadline, Duration limit,
            String url) throws IOException {
        byte[] buf = new byte[(int) Math.min(cap + 1, 64 * 1024)];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            // Slow retrieval: a server that sends a byte now and then never lets a read time out.
            if (System.nanoTime() - deadline >= 0) throw tooSlow(url, limit);
            if (total + n > cap) {
                out.write(buf, 0, (int) (cap - total));
                throw new DownloadException(url, "exceeds the length limit of " + maxLength + " bytes");
            }
            total += n;
            out.write(buf, 0, n);
        }
        if (System.nanoTime() - deadline >= 0) throw tooSlow(url, limit);
        return total;
    }

    static DownloadException tooSlow(String url, Duration limit) {
        return new DownloadException(url, "too slow: not complete within " + limit.toMillis() / 1000.0 + " s");
    }
}
