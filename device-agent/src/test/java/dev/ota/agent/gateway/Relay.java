package dev.ota.agent.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network between a gateway and its cloud (or a device and its gateway), in a test: passes every request on
 * unchanged, ranges included, and counts them by path, or, while {@link #down}, drops each connection without an
 * answer (the cloud is unreachable); {@link #cutNextTarget} drops the connection part way through an image.
 */
final class Relay implements AutoCloseable {
    private final URI target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    volatile boolean down;
    /** The next {@code /targets/} answer passes on only this many body bytes, then the connection drops (-1: none). */
    final AtomicInteger cutNextTarget = new AtomicInteger(-1);
    /** Every {@code /targets/} exchange relayed: the Range asked for ({@code ""}: none), the status, the body bytes passed. */
    final List<String> targetExchanges = new java.util.concurrent.CopyOnWriteArrayList<>();

    Relay(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::relay);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests relayed (not dropped) whose path starts with {@code prefix}. */
    int count(String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(e -> e.getValue().get()).sum();
    }

    private void relay(HttpExchange ex) throws IOException {
        if (down) {
            // No status line at all: to the gateway the cloud is simply not there.
            ex.close();
            return;
        }
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path)).method(ex.getRequestMethod(),
                    body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("Authorization", "Content-Type", "Accept", "Range", "If-Range")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) b.header(h, v);
            }
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().firstValue("content-type").ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
            for (String h : List.of("Retry-After", "Content-Range", "Accept-Ranges", "ETag")) {
                r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().set(h, v));
            }
            int cut = path.startsWith("/targets/") ? cutNextTarget.getAndSet(-1) : -1;
            int passed = cut < 0 ? r.body().length : Math.min(cut, r.body().length);
            if (path.startsWith("/targets/")) {
                String range = ex.getRequestHeaders().getFirst("Range");
                targetExchanges.add((range == null ? "" : range) + " -> " + r.statusCode() + " " + passed);
            }
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body(), 0, passed);
                    out.flush();
                }
            }
            // Thrown out of the handler, the server drops the connection: the body ends short of its declared length.
            if (passed < r.body().length) throw new IOException("link cut after " + passed + " bytes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
