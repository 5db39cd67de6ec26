package dev.ota.agent.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cloud as the gateway reaches it: one HTTP request per call, no retries, no redirects. The request body goes out
 * exactly as the device sent it; only the headers that mean something to the server are passed on.
 */
final class Upstream {
    /** Request headers a device sends that the server needs; the HTTP client sets the connection's own. */
    static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Accept");
    /** Answer headers passed back to the device. */
    static final List<String> ANSWER_HEADERS = List.of("Content-Type", "Retry-After", "ETag", "Last-Modified", "Cache-Control");

    private final URI base;
    private final HttpClient client;
    private final Duration timeout;

    Upstream(URI base, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    URI base() {
        return base;
    }

    /** The server's answer. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
        }
    }

    /** The cloud could not be reached (no connection, a timeout): nothing is known about what it would say. */
    static final class Unreachable extends Exception {
        Unreachable(String why) {
            super(why);
        }
    }

    /**
     * Sends {@code method pathAndQuery} with {@code body} (empty: none) and the given request headers.
     *
     * @throws Unreachable when no HTTP answer came
     */
    Answer send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) throws Unreachable {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout)
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        } catch (IllegalArgumentException e) {
            throw new Unreachable("not a request the gateway can send: " + method + " " + pathAndQuery);
        }
        headers.forEach((n, v) -> {
            if (REQUEST_HEADERS.stream().anyMatch(h -> h.equalsIgnoreCase(n))) b.header(n, v);
        });
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> out = new LinkedHashMap<>();
            for (String name : ANSWER_HEADERS) r.headers().firstValue(name.toLowerCase(Locale.ROOT)).ifPresent(v -> out.put(name, v));
            return new Answer(r.statusCode(), out, r.body());
        } catch (IOException e) {
            // Never the request itself in the message: it may carry a bearer token.
            throw new Unreachable(method + " " + pathOnly(pathAndQuery) + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }

    private static String pathOnly(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }
}
