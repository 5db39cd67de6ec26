package dev.ota.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The man in the middle between devices and the server's director and image repository (DirectorAttacksIT,
 * DesiredConfigIT): forwards every request to the server, through the hook the running test sets.
 */
final class ItProxy implements AutoCloseable {
    /** A request as the device sent it to the proxy. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
        /** The same request for another path, with another bearer header. */
        Request to(String otherPath, String authorization) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put("Authorization", authorization);
            return new Request(method, otherPath, h, body);
        }
    }

    /** A response the proxy returns to the device. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        Answer withBody(byte[] other) {
            return new Answer(status, headers, other);
        }
    }

    /**
     * The answer's status and headers with its full length announced, but the connection dropped after
     * {@code bytes} bytes of its body: what a device sees when its link goes down in the middle of a download.
     */
    static Answer cutAfter(Answer a, int bytes) {
        Map<String, String> h = new LinkedHashMap<>(a.headers());
        h.put(CUT_AFTER, Integer.toString(bytes));
        return new Answer(a.status(), h, a.body());
    }

    /** What the man in the middle does with one request: {@code forward} sends it on to the server. */
    interface Hook {
        Answer handle(Request request, Function<Request, Answer> forward);
    }

    static final Hook PASS = (request, forward) -> forward.apply(request);
    /** Request headers a device sends that matter to the server (the HTTP client sets the connection's own). */
    private static final List<String> FORWARDED = List.of("Authorization", "Accept", "Content-Type", "If-None-Match", "If-Modified-Since", "Range");
    /** The proxy's own mark of an answer to cut ({@link #cutAfter}); never sent. */
    private static final String CUT_AFTER = "X-It-Proxy-Cut-After";
    private static final List<String> NOT_RETURNED = List.of("content-length", "transfer-encoding", "connection", "date",
            CUT_AFTER.toLowerCase(java.util.Locale.ROOT));

    private final String server;
    private final HttpServer http;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    volatile Hook hook = PASS;

    ItProxy(String server) throws IOException {
        this.server = server;
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::serve);
        http.start();
    }

    String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : FORWARDED) {
                String v = ex.getRequestHeaders().getFirst(name);
                if (v != null) headers.put(name, v);
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            Request request = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()), headers, body);
            Answer a;
            try {
                a = hook.handle(request, this::forward);
            } catch (RuntimeException | Error e) {
                // A broken hook must show in the test, not as a hanging device: the device sees a 502.
                e.printStackTrace();
                a = new Answer(502, Map.of(), ("proxy: " + e).getBytes(StandardCharsets.UTF_8));
            }
            a.headers().forEach((n, v) -> {
                if (!NOT_RETURNED.contains(n.toLowerCase(java.util.Locale.ROOT))) ex.getResponseHeaders().add(n, v);
            });
            boolean empty = a.body().length == 0 || a.status() == 304 || ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(a.status(), empty ? -1 : a.body().length);
            String cut = a.headers().get(CUT_AFTER);
            if (!empty && cut != null) {
                // Fewer bytes than announced, then the connection closes: the client reads a premature end.
                OutputStream out = ex.getResponseBody();
                out.write(a.body(), 0, Math.min(a.body().length, Integer.parseInt(cut)));
                out.flush();
                throw new IOException("connection cut by the test after " + cut + " bytes");
            }
            if (!empty) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(a.body());
                }
            }
        }
    }

    private Answer forward(Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + r.path())).timeout(Duration.ofSeconds(30))
                .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach(b::header);
        try {
            HttpResponse<byte[]> res = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> h = new LinkedHashMap<>();
            res.headers().map().forEach((n, v) -> h.put(n, v.get(0)));
            return new Answer(res.statusCode(), h, res.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
