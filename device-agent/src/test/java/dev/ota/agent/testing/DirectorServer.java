package dev.ota.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ota.tuf.crypto.Signing;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A director for device tests, signing as device-api.md describes (one root, per-device targets carrying
 * {@code custom.deviceId}, snapshot and timestamp, consistent snapshots) with the test's clock, and serving
 * {@code /director/{deviceId}/metadata/...} and the director's own targets under {@code /director/{deviceId}/targets/}
 * (by their hash-prefixed names) to the bearer token {@code tok-<deviceId>} ({@link DevicePeer}'s).
 * Faults are opt-in: sign for another device id, or sign the timestamp with a key the root does not trust.
 */
public final class DirectorServer implements AutoCloseable {
    private final SigningKey rootKey = SigningKey.generate();
    private final SigningKey targetsKey = SigningKey.generate();
    private final SigningKey snapshotKey = SigningKey.generate();
    private final SigningKey timestampKey = SigningKey.generate();
    private final Clock clock;
    private final byte[] rootBytes;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, TargetFile>> signedTargets = new ConcurrentHashMap<>();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final HttpServer server;
    public volatile String signAsDevice;
    public volatile SigningKey timestampSigner;

    public DirectorServer(Clock clock) throws IOException {
        this.clock = clock;
        Map<String, Key> keys = new LinkedHashMap<>();
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, SigningKey> byRole = Map.of("root", rootKey, "targets", targetsKey, "snapshot", snapshotKey, "timestamp", timestampKey);
        for (String role : new String[]{"root", "targets", "snapshot", "timestamp"}) {
            SigningKey k = byRole.get(role);
            keys.put(k.keyId(), k.publicKey());
            roles.put(role, new Role(java.util.List.of(k.keyId()), 1));
        }
        Root root = new Root(RoleMetadata.SPEC_VERSION, 1, now().plus(Duration.ofDays(365)), true, keys, roles, Map.of());
        rootBytes = Signing.sign(root, java.util.List.of(rootKey)).toBytes().toArray();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    public byte[] rootBytes() {
        return rootBytes.clone();
    }

    /** The director's base URL (what {@code director.url} names). */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Signs new targets, snapshot and timestamp for {@code deviceId} listing {@code targets} (empty: the assignment
     * was cancelled); returns the new timestamp version, which the device's next check-in answer names.
     */
    public synchronized long sign(String deviceId, Map<String, TargetFile> targets) {
        long v = versions.merge(deviceId, 1L, Long::sum);
        Instant expires = now().plus(Duration.ofDays(1));
        String named = signAsDevice == null ? deviceId : signAsDevice;
        Targets t = new Targets(RoleMetadata.SPEC_VERSION, v, expires, targets, Optional.empty(),
                Map.of("custom", JsonValue.obj("deviceId", JsonValue.of(named))));
        byte[] tb = Signing.sign(t, java.util.List.of(targetsKey)).toBytes().toArray();
        Snapshot s = new Snapshot(RoleMetadata.SPEC_VERSION, v, expires, Map.of("targets.json", new MetaFile(v)), Map.of());
        byte[] sb = Signing.sign(s, java.util.List.of(snapshotKey)).toBytes().toArray();
        Timestamp ts = new Timestamp(RoleMetadata.SPEC_VERSION, v, expires, MetaFile.describing(v, Bytes.of(sb)), Map.of());
        SigningKey tsKey = timestampSigner == null ? timestampKey : timestampSigner;
        byte[] tsb = Signing.sign(ts, java.util.List.of(tsKey)).toBytes().toArray();
        String dir = "director/" + deviceId + "/metadata/";
        files.put(dir + v + ".targets.json", tb);
        files.put(dir + v + ".snapshot.json", sb);
        files.put(dir + "timestamp.json", tsb);
        files.put(dir + "1.root.json", rootBytes);
        signedTargets.put(deviceId, Map.copyOf(targets));
        expiries.put(deviceId, expires);
        return v;
    }

    /**
     * Serves {@code bytes} as the director target {@code path} of {@code deviceId}, under the name a TUF client asks
     * for with consistent snapshots ({@code dir/<sha256>.<name>}); a test rewriting bytes on the way passes others.
     */
    public void serveTarget(String deviceId, String path, byte[] bytes, String sha256) {
        int slash = path.lastIndexOf('/');
        files.put("director/" + deviceId + "/targets/" + path.substring(0, slash + 1) + sha256 + "." + path.substring(slash + 1),
                bytes.clone());
    }

    /** A director target for {@code image} as the image repository lists it, with the order's custom. */
    public static TargetFile order(TargetFile image, String deviceId, String hardwareId, long releaseCounter, String actionId, long attempt,
                                   Object... extraCustom) {
        Map<String, JsonValue> custom = new LinkedHashMap<>(JsonValue.obj(
                "ecuIdentifiers", JsonValue.obj(deviceId, JsonValue.obj("hardwareId", JsonValue.of(hardwareId))),
                "hardwareIds", JsonValue.arr(java.util.List.of(JsonValue.of(hardwareId))),
                "releaseCounter", JsonValue.of(releaseCounter), "actionId", JsonValue.of(actionId), "attempt", JsonValue.of(attempt),
                "installPolicy", JsonValue.of("respect-busy")).members());
        custom.putAll(JsonValue.obj(extraCustom).members());
        return new TargetFile(image.length(), image.hashes(), Optional.of(new JsonValue.JsonObject(custom)), Map.of());
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String key = ex.getRequestURI().getPath().substring(1);
            String[] parts = key.split("/");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (parts.length < 3 || !("Bearer tok-" + parts[1]).equals(auth)) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            // As the real director: a device's files fetched when they expire within 12 hours are signed anew.
            Instant expires = expiries.get(parts[1]);
            if (key.endsWith("/timestamp.json") && expires != null && !now().isBefore(expires.minus(Duration.ofHours(12)))) {
                sign(parts[1], signedTargets.get(parts[1]));
            }
            byte[] body = files.get(key);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
