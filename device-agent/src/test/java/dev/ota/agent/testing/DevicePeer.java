package dev.ota.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ota.protocol.Checkin;
import dev.ota.protocol.CheckinResponse;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.Enrollment;
import dev.ota.protocol.EnrollmentResponse;
import dev.ota.protocol.Envelope;
import dev.ota.protocol.Report;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Key;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A small in-test peer speaking device-api.md's device side over real HTTP, for agent-behaviour tests only (the
 * real server is tested in liberty-config's ITs). It checks what an honest server checks (signatures with the
 * enrolled key, increasing counters, config versions) and records what devices sent; tests can queue canned
 * answers for a path, and may hold a device pending or acknowledge nothing.
 */
public final class DevicePeer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, DeviceRecord> devices = new ConcurrentHashMap<>();
    private final Map<String, Deque<Canned>> canned = new ConcurrentHashMap<>();
    public volatile boolean autoAccept = true;
    public volatile boolean acknowledge = true;
    public volatile long pollAfterSeconds = 300;
    /** The director timestamp version a device's check-in answers name (none named for a device not in here). */
    public final Map<String, Long> directorVersions = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the peer knows of one device. */
    public static final class DeviceRecord {
        public final Key key;
        public volatile boolean accepted;
        public long lastCounter;
        public final List<Checkin> checkins = new ArrayList<>();
        public final List<Long> counters = new ArrayList<>();
        public final Map<String, Long> acked = new HashMap<>();
        public long configVersion;
        public byte[] configEnvelope;
        public final List<Long> configVersionsTried = new ArrayList<>();
        public final String token;

        DeviceRecord(Key key, String token) {
            this.key = key;
            this.token = token;
        }
    }

    public record Canned(int status, Map<String, String> headers, String body) {
    }

    public DevicePeer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/devices/v1/", this::handle);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public DeviceRecord device(String id) {
        return devices.get(id);
    }

    public Map<String, DeviceRecord> devices() {
        return devices;
    }

    /** The next request to {@code path} gets this answer instead of the peer's own. */
    public void queue(String path, Canned answer) {
        canned.computeIfAbsent(path, p -> new ArrayDeque<>()).add(answer);
    }

    /** Stores a configuration envelope as if the device had uploaded it (for restore tests). */
    public void holdConfig(String deviceId, long version, byte[] envelope) {
        DeviceRecord d = devices.get(deviceId);
        synchronized (d) {
            d.configVersion = version;
            d.configEnvelope = envelope;
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] body = x.getRequestBody().readAllBytes();
            String path = x.getRequestURI().getPath();
            Deque<Canned> q = canned.get(path);
            Canned c = q == null ? null : q.poll();
            if (c == null) c = answer(x.getRequestMethod(), path, body, x.getRequestHeaders().getFirst("Authorization"));
            c.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
            byte[] out = c.body().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(c.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) x.getResponseBody().write(out);
        }
    }

    private static Canned error(int status, String code) {
        return new Canned(status, Map.of(), "{\"code\":\"" + code + "\",\"message\":\"" + code + "\"}");
    }

    private static Canned json(int status, JsonValue v) {
        return new Canned(status, Map.of(), CanonicalJson.encodeToString(v));
    }

    private Canned answer(String method, String path, byte[] body, String authorization) {
        try {
            if (path.equals("/devices/v1/enrollments") && method.equals("POST")) return enroll(body);
            String[] parts = path.split("/");
            if (parts.length != 5) return error(404, "not.found");
            DeviceRecord d = devices.get(parts[3]);
            if (d == null) return error(401, "device.unknown");
            synchronized (d) {
                return switch (parts[4] + " " + method) {
                    case "checkins POST" -> checkin(d, parts[3], body);
                    case "config PUT" -> putConfig(d, parts[3], body);
                    case "config GET" -> {
                        if (!("Bearer " + d.token).equals(authorization)) yield error(401, "token.invalid");
                        yield d.configEnvelope == null ? error(404, "config.none")
                                : new Canned(200, Map.of(), new String(d.configEnvelope, StandardCharsets.UTF_8));
                    }
                    default -> error(405, "method.not-allowed");
                };
            }
        } catch (RuntimeException e) {
            return error(400, "malformed");
        }
    }

    private Canned enroll(byte[] body) {
        Envelope e = Envelope.parse(body);
        Enrollment en = Enrollment.fromJson(e.signed());
        if (!e.verify(en.publicKey()).thresholdMet()) return error(401, "signature.invalid");
        DeviceRecord existing = devices.get(en.deviceId());
        if (existing != null && !existing.key.keyId().equals(en.publicKey().keyId())) return error(409, "device.key-conflict");
        boolean created = existing == null;
        DeviceRecord d = created ? new DeviceRecord(en.publicKey(), "tok-" + en.deviceId()) : existing;
        if (created) {
            d.accepted = autoAccept;
            devices.put(en.deviceId(), d);
        }
        EnrollmentResponse r = new EnrollmentResponse(d.accepted ? EnrollmentResponse.Status.ACCEPTED : EnrollmentResponse.Status.PENDING,
                pollAfterSeconds);
        return json(created ? 201 : 200, r.toJson());
    }

    private Canned checkin(DeviceRecord d, String id, byte[] body) {
        Envelope e = Envelope.parse(body);
        if (!e.verify(d.key).thresholdMet()) return error(401, "signature.invalid");
        Checkin c = Checkin.fromJson(e.signed());
        if (!c.deviceId().equals(id)) return error(400, "checkin.device-mismatch");
        if (!d.accepted) return error(403, "device.pending");
        if (c.counter() <= d.lastCounter) return error(409, "checkin.replayed");
        d.lastCounter = c.counter();
        d.checkins.add(c);
        d.counters.add(c.counter());
        Map<String, Long> acked = new HashMap<>();
        if (acknowledge) {
            for (Report r : c.reports()) d.acked.merge(r.actionId(), r.seq(), Math::max);
            for (Report r : c.reports()) acked.put(r.actionId(), d.acked.get(r.actionId()));
        }
        Long director = directorVersions.get(id);
        CheckinResponse r = new CheckinResponse(pollAfterSeconds, director == null ? OptionalLong.empty() : OptionalLong.of(director), acked,
                Optional.of(new CheckinResponse.ConfigRequest(d.configVersion, false)), Optional.of(d.token), Optional.empty());
        return json(200, r.toJson());
    }

    private Canned putConfig(DeviceRecord d, String id, byte[] body) {
        Envelope e = Envelope.parse(body);
        if (!e.verify(d.key).thresholdMet()) return error(401, "signature.invalid");
        ConfigBackup c = ConfigBackup.fromJson(e.signed());
        if (!c.deviceId().equals(id)) return error(400, "config.device-mismatch");
        d.configVersionsTried.add(c.version());
        if (c.version() <= d.configVersion) return error(409, "config.version-conflict");
        d.configVersion = c.version();
        d.configEnvelope = body;
        return new Canned(200, Map.of(), "{}");
    }

    /** Accepts a pending device, as an administrator would. */
    public void accept(String deviceId) {
        devices.get(deviceId).accepted = true;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
