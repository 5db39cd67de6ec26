package dev.ota.agent.fleet;

import dev.ota.tuf.metadata.Bytes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link DeviceTransport} over the JDK's {@link HttpClient} (HTTP/1.1, asynchronous). One client can be shared by
 * every simulated device of a JVM. Bodies are read into memory: device-api.md answers are small (64 KiB cap).
 */
public final class HttpClientTransport implements DeviceTransport {
    private final URI base;
    private final HttpClient client;
    private final Duration requestTimeout;

    /** @param base the server's root URL, e.g. {@code http://127.0.0.1:9080} (a trailing slash is ignored) */
    public HttpClientTransport(URI base, HttpClient client, Duration requestTimeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    public static HttpClientTransport create(URI base, Duration timeout) {
        return new HttpClientTransport(base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build(), timeout);
    }

    @Override
    public CompletableFuture<DeviceResponse> send(DeviceRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + request.path())).timeout(requestTimeout)
                .header("Accept", "application/json");
        request.bearer().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        if (request.body().isPresent()) {
            b.header("Content-Type", "application/json")
                    .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body().get().toArray()));
        } else {
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new DeviceResponse(r.statusCode(), r.headers().firstValue("Retry-After"), Bytes.of(r.body())));
    }
}
