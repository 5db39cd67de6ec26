package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Fetcher} over {@code java.net.http}. Stops reading as soon as the cap is exceeded (endless data
 * attack), and aborts a transfer that exceeds {@code timeout} in total (slow retrieval attack): the watchdog
 * closes the stream, so even a server that trickles one byte a minute cannot hold the client.
 */
public final class HttpFetcher implements Fetcher {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tuf-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient client;
    private final Duration timeout;

    public HttpFetcher(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
    }

    public HttpFetcher() {
        this(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    @Override
    public byte[] fetch(URI url, long maxLength) {
        String u = url.toString();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        AtomicBoolean timedOut = new AtomicBoolean();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new DownloadException(u, "request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException(u, "interrupted");
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) throw new HttpStatusException(u, response.statusCode());
            ScheduledFuture<?> guard = WATCHDOG.schedule(() -> {
                timedOut.set(true);
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is the abort; a failure to close changes nothing
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return readCapped(in, maxLength, u);
            } finally {
                guard.cancel(false);
            }
        } catch (IOException e) {
            if (timedOut.get()) throw new DownloadException(u, "too slow: not complete within " + timeout.toSeconds() + " s");
            throw new DownloadException(u, "transfer failed: " + e.getMessage(), e);
        }
    }

    static byte[] readCapped(InputStream in, long maxLength, String url) throws IOException {
        long cap = Math.min(maxLength, Integer.MAX_VALUE - 16);
        byte[] buf = new byte[(int) Math.min(cap + 1, 64 * 1024)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(buf.length);
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > cap) throw new DownloadException(url, "exceeds the length limit of " + maxLength + " bytes");
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
