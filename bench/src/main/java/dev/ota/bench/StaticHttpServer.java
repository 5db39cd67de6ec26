package dev.ota.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one local mirror both clients read: a folder over plain HTTP on 127.0.0.1. Files are loaded into memory
 * once, so the server's disk reads do not count against whichever client happens to ask first.
 */
final class StaticHttpServer implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    StaticHttpServer(Path root) {
        // Without TCP_NODELAY, headers and body go out as two small writes and the client's delayed ACK stalls each
        // response by ~40 ms (Nagle). The JDK server reads this property once, when its first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.root = root.toAbsolutePath().normalize();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a local HTTP server", e);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url(String folder) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + folder + "/");
    }

    long requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String relative = exchange.getRequestURI().getPath().substring(1);
            byte[] body = cache.computeIfAbsent(relative, this::load);
            if (body.length == 0) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The file's bytes, or none for a missing one (metadata is never empty, so empty means 404). */
    private byte[] load(String relative) {
        Path file = root.resolve(relative).normalize();
        try {
            return file.startsWith(root) && Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
