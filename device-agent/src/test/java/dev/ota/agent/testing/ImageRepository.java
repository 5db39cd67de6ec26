package dev.ota.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.Delegation;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryConfig;
import dev.ota.tuf.repository.RepositoryState;
import dev.ota.tuf.repository.RoleKeySet;
import dev.ota.tuf.repository.TargetChange;
import dev.ota.tuf.repository.TargetPaths;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A well-behaved image repository for device tests: signs with tuf-core's repository helpers (succinct hash
 * bins, consistent snapshots) and serves metadata and targets over HTTP on 127.0.0.1, a target also from a byte
 * on ({@code Range: bytes=N-}, the only range devices ask for; anything else gets the whole file). Faults are
 * opt-in: corrupt a target's bytes, trickle them, cut the connection part way, or stop serving.
 */
public final class ImageRepository implements AutoCloseable {
    private final SigningKey root = SigningKey.generate();
    private final RepositoryConfig config = new RepositoryConfig(RoleKeySet.of(root), RoleKeySet.of(SigningKey.generate()),
            RoleKeySet.of(SigningKey.generate()), RoleKeySet.of(SigningKey.generate()), RoleKeySet.of(SigningKey.generate()),
            new Delegation.HashBins("releases", 4), Expiries.defaults());
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> trickleDelayMillis = new ConcurrentHashMap<>();
    private final Map<String, Integer> cutAfterBytes = new ConcurrentHashMap<>();
    /** The {@code Range} header of every request for a target, in order ({@code ""}: none). */
    public final List<String> targetRanges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpServer server;
    private RepositoryState state;
    private final byte[] rootBytes;

    public ImageRepository() throws IOException {
        Publication created = Publisher.create(config, now());
        store(created);
        state = created.state();
        rootBytes = files.get("metadata/1.root.json");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    public byte[] rootBytes() {
        return rootBytes.clone();
    }

    public URI metadataUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metadata/");
    }

    public URI targetsUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/targets/");
    }

    /** Publishes an image for the given hardware at the given version. */
    public synchronized void publish(String path, byte[] image, String version, String... hardwareIds) {
        publish(path, image, JsonValue.obj("version", JsonValue.of(version),
                "hardwareIds", JsonValue.arr(java.util.Arrays.stream(hardwareIds).map(JsonValue::of).toList())));
    }

    /** Publishes an image with a release counter, as the image repository lists releases since counters exist. */
    public synchronized void publish(String path, byte[] image, String version, long releaseCounter, String... hardwareIds) {
        publish(path, image, JsonValue.obj("version", JsonValue.of(version), "releaseCounter", JsonValue.of(releaseCounter),
                "hardwareIds", JsonValue.arr(java.util.Arrays.stream(hardwareIds).map(JsonValue::of).toList())));
    }

    /** Publishes an image with exactly {@code custom} (also a malformed one). */
    public synchronized void publish(String path, byte[] image, JsonValue custom) {
        TargetFile file = TargetFile.describing(Bytes.of(image), Optional.of(custom));
        boolean listed = state.target(path).isPresent();
        Publication p = Publisher.publish(state, List.of(listed ? TargetChange.replace(path, file) : TargetChange.add(path, file)),
                config.keyring(), config.expiries(), now());
        store(p);
        state = p.state();
        files.put("targets/" + TargetPaths.consistentPath(path, file.hashes().get("sha256")), image.clone());
    }

    /** Serves other bytes than the ones listed for a published image (a corrupting mirror). */
    public void corruptTarget(String path) {
        TargetFile f = state.target(path).orElseThrow();
        String key = "targets/" + TargetPaths.consistentPath(path, f.hashes().get("sha256"));
        byte[] b = files.get(key).clone();
        b[b.length / 2] ^= 0x5a;
        files.put(key, b);
    }

    /** Serves a published image one byte at a time with a pause between bytes. */
    public void trickleTarget(String path, int delayMillis) {
        TargetFile f = state.target(path).orElseThrow();
        trickleDelayMillis.put("targets/" + TargetPaths.consistentPath(path, f.hashes().get("sha256")), delayMillis);
    }

    /** The next answer for a published image sends only its first {@code bytes} body bytes, then drops the connection. */
    public void cutTarget(String path, int bytes) {
        TargetFile f = state.target(path).orElseThrow();
        cutAfterBytes.put("targets/" + TargetPaths.consistentPath(path, f.hashes().get("sha256")), bytes);
    }

    private void store(Publication p) {
        for (MetadataFile f : p.files()) {
            files.put("metadata/" + f.fileName(), f.bytes().toArray());
            if (f.fileName().matches("\\d+\\..*") && !f.role().equals("root")) {
                files.put("metadata/" + f.fileName().substring(f.fileName().indexOf('.') + 1), f.bytes().toArray());
            }
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String key = ex.getRequestURI().getRawPath().substring(1);
            key = java.net.URLDecoder.decode(key.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            byte[] body = files.get(key);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Integer delay = trickleDelayMillis.get(key);
            int from = 0;
            if (key.startsWith("targets/")) {
                String range = ex.getRequestHeaders().getFirst("Range");
                targetRanges.add(range == null ? "" : range);
                if (range != null && range.matches("bytes=\\d{1,9}-")) {
                    from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
                    if (from >= body.length) {
                        ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                        ex.sendResponseHeaders(416, -1);
                        return;
                    }
                    ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                }
            }
            Integer cut = cutAfterBytes.remove(key);
            ex.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from);
            try (OutputStream out = ex.getResponseBody()) {
                if (cut != null) {
                    out.write(body, from, Math.min(cut, body.length - from));
                    out.flush();
                } else if (delay == null) {
                    out.write(body, from, body.length - from);
                } else {
                    for (int i = from; i < body.length; i++) {
                        out.write(body[i]);
                        out.flush();
                        Thread.sleep(delay);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // the client aborted (as it should with a trickling server)
            }
            // Thrown out of the handler, the server drops the connection: the body ends short of its declared length.
            if (cut != null && cut < body.length - from) throw new IOException("link cut after " + cut + " bytes");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
