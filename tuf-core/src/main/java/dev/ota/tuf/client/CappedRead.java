package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a response body with the two defences every fetcher needs: stop as soon as more than the cap has
 * arrived (endless data), and abort when the whole transfer takes longer than the limit (slow retrieval). The
 * watchdog closes the stream, so even a read blocked on a server that trickles one byte a minute returns.
 */
final class CappedRead {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tuf-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private CappedRead() {
    }

    static byte[] read(InputStream in, long maxLength, Duration limit, String url) {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> guard = WATCHDOG.schedule(() -> {
            timedOut.set(true);
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is the abort; a failure to close changes nothing
            }
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            long cap = Math.min(maxLength, Integer.MAX_VALUE - 16);
            byte[] buf = new byte[(int) Math.min(cap + 1, 64 * 1024)];
            ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length);
            long total = 0;
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
                if (total > cap) throw new DownloadException(url, "exceeds the length limit of " + maxLength + " bytes");
                out.write(buf, 0, n);
            }
            if (timedOut.get()) throw tooSlow(url, limit);
            return out.toByteArray();
        } catch (IOException e) {
            if (timedOut.get()) throw tooSlow(url, limit);
            throw new DownloadException(url, "transfer failed: " + e.getMessage(), e);
        } finally {
            guard.cancel(false);
        }
    }

    private static DownloadException tooSlow(String url, Duration limit) {
        return new DownloadException(url, "too slow: not complete within " + limit.toMillis() / 1000.0 + " s");
    }
}
