package dev.ota.interop;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a folder over plain HTTP on 127.0.0.1 (a free port), as a static TUF mirror would: GET of an existing
 * file gives its bytes with status 200, anything else 404. Every served path is logged, so a test can check
 * which file names a client asked for. Files are read at request time: a test may change them between
 * requests (e.g. tamper with a target).
 */
public final class StaticHttpServer implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<String> requests = new ArrayList<>();

    private StaticHttpServer(Path root) throws IOException {
        // Without TCP_NODELAY, headers and body go out as two small writes and the client's delayed ACK stalls each
        // response by ~40 ms (Nagle). The JDK server reads this property once, when its first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Daemon threads: a test that fails before close() must not keep the JVM alive.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "static-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static StaticHttpServer serve(Path root) {
        try {
            return new StaticHttpServer(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a local HTTP server", e);
        }
    }

    /** The URL of a folder under the served root, ending in {@code /}. */
    public URI url(String folder) {
        String f = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + f);
    }

    /** Paths asked for so far (decoded, relative to the root), in order. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String relative = path.startsWith("/") ? path.substring(1) : path;
            synchronized (this) {
                requests.add(relative);
            }
            Path file = root.resolve(relative).normalize();
            if (!"GET".equals(exchange.getRequestMethod()) || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            // -1 is how this API says "empty body"; 0 would mean chunked.
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
