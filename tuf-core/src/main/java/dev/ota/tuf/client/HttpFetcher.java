package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link Fetcher} over {@code java.net.http}, for long-running processes (the server, a gateway mirror) where
 * its connection pooling and HTTP/2 pay off. One-shot processes should prefer {@link UrlConnectionFetcher}:
 * the HttpClient costs a few hundred milliseconds of start-up. Redirects are not followed.
 */
public final class HttpFetcher implements Fetcher {
    private final HttpClient client;
    private final Duration timeout;

    /** @param timeout most time one whole download may take */
    public HttpFetcher(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
    }

    /** Connect within 10 s, finish each download within 60 s. */
    public HttpFetcher() {
        this(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    @Override
    public byte[] fetch(URI url, long maxLength) {
        String u = url.toString();
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout).GET();
        if ("http".equalsIgnoreCase(url.getScheme())) {
            // No cleartext HTTP/2 upgrade (h2c): it gains nothing on a plain link, and servers handle it
            // badly (Open Liberty logs "stream was already closed" for answered requests). HTTPS still
            // negotiates HTTP/2 through ALPN.
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        HttpRequest request = builder.build();
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
            return CappedRead.read(in, maxLength, timeout, u);
        } catch (IOException e) {
            throw new DownloadException(u, "transfer failed: " + e.getMessage(), e);
        }
    }
}
