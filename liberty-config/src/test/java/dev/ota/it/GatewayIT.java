package dev.ota.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ota.agent.device.RunConfig;
import dev.ota.agent.gateway.Gateway;
import dev.ota.agent.gateway.GatewayConfig;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Timestamp;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge to gateway to cloud (issue 14, fleet.md "Gateway"): devices running the real agent library whose only base URL
 * is a gateway's loopback port; the gateway reaches the real server through a link this test controls ({@link Link}:
 * it counts requests and can cut the cloud off). A compromised gateway is the real gateway with a hostile layer in
 * front of it that rewrites what it serves: whatever it sends, the devices install nothing and report an attack.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {
    private static final String SERVER = "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");
    private static final List<String> INSTALLED = List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "SUCCEEDED");

    /** A product line per test: release counters only rise per hardware id, and other ITs upload on this server too. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String hardware = "lock-gw-" + run;
    private final Http http = new Http();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    private final List<AutoCloseable> open = new ArrayList<>();
    private String[] admin;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    @Test
    @Order(1)
    void threeDevicesBehindTheGatewayInstallAnAssignmentAndTheGatewayFetchesTheImageFromTheServerOnce() throws Exception {
        admin = ItAccounts.admin(http);
        String path = release("fw", 42, "HEALTHY");
        String gatewayHardware = "gw-box-" + run;
        String gatewayPath = release("gw-fw", 7, "HEALTHY gateway", gatewayHardware);
        Link cloud = opened(new Link(SERVER));
        // Room for the devices' image, not beside it for the gateway's own: the gateway must not evict the one its
        // devices are still ordered to run while it updates itself.
        long room = content("fw", 42, "HEALTHY").length + content("gw-fw", 7, "HEALTHY gateway").length - 1;
        World w = gateway(cloud, room, gatewayHardware);

        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 3; i++) devices.add(w.device("dev-" + i, "echo idle"));
        for (Device d : devices) d.runner.run(1);
        w.self.run(1);
        List<String> actions = new ArrayList<>();
        for (Device d : devices) actions.add(assign(d.id, path));
        for (Device d : devices) d.runner.run(3);
        String gatewayAction = assign(w.selfId, gatewayPath);
        w.self.run(3);

        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            assertEquals(INSTALLED, states(d.id, actions.get(i)), d.id + "\n" + log());
            assertEquals(JsonValue.of(path), installed(d.id).get("filepath"));
        }
        assertEquals(INSTALLED, states(w.selfId, gatewayAction), "the gateway updated itself A/B\n" + log());
        assertEquals(JsonValue.of(gatewayPath), installed(w.selfId).get("filepath"));
        assertEquals(1, cloud.count("/targets/", basename(path)), "one fetch of the devices' image for three devices\n" + log());
        assertEquals(1, cloud.count("/targets/", basename(gatewayPath)), log());
        String deviceImage = sha256(content("fw", 42, "HEALTHY"));
        assertEquals(List.of(deviceImage), w.gateway.cache().hashes(), "the image its devices still run stayed cached\n" + log());
        assertTrue(w.gateway.pinned().contains(deviceImage));
        assertTrue(log().contains("verified but not cached"), log());
    }

    @Test
    @Order(2)
    void whileTheCloudIsAwayDevicesKeepCheckingInAndTheirReportsArriveInOrderAndOnceWhenItReturns() throws Exception {
        admin = ItAccounts.admin(http);
        String path = release("fw", 50, "HEALTHY");
        Link cloud = opened(new Link(SERVER));
        World w = gateway(cloud, 1 << 20, null);
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= 3; i++) devices.add(w.device("away-" + i, "echo idle"));
        for (Device d : devices) d.runner.run(1);
        List<String> actions = new ArrayList<>();
        for (Device d : devices) actions.add(assign(d.id, path));
        // One cycle each with the cloud there: the order is followed and installed; the reports wait for the next check-in.
        for (Device d : devices) d.runner.run(1);
        for (Device d : devices) assertEquals(6, d.runner.session().journal().unacked().size(), log());

        cloud.down = true;
        int checkinsBefore = cloud.count("/devices/v1/", "/checkins");
        for (Device d : devices) d.runner.run(3);
        assertEquals(checkinsBefore, cloud.count("/devices/v1/", "/checkins"), "nothing reached the server");
        assertTrue(log().contains("throttled: retry after 30 s"), "the gateway answered 503 with Retry-After\n" + log());
        for (int i = 0; i < devices.size(); i++) {
            assertEquals(List.of(), states(devices.get(i).id, actions.get(i)), "no report reached the server yet");
        }

        cloud.down = false;
        for (Device d : devices) d.runner.run(1);

        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            List<JsonObject> stored = reports(d.id, actions.get(i));
            assertEquals(INSTALLED, stored.stream().map(r -> text(r, "state")).toList(), d.id + "\n" + log());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), stored.stream().map(r -> ((JsonValue.JsonNumber) r.get("seq")).value().longValue())
                    .toList(), "each (actionId, seq) stored once");
            assertEquals(List.of(), d.runner.session().journal().unacked(), "all acknowledged");
        }
    }

    // ---- a compromised gateway: a hostile layer between the devices and the real gateway ----

    @Test
    @Order(3)
    void aGatewayRewritingImageBytesGetsNothingInstalled() throws Exception {
        admin = ItAccounts.admin(http);
        String path = release("fw", 60, "HEALTHY");
        World w = gateway(opened(new Link(SERVER)), 1 << 20, null);
        w.hostile.hook = (request, forward) -> {
            Answer a = forward.apply(request);
            if (!request.path().startsWith("/targets/") || a.status() != 200) return a;
            byte[] b = a.body().clone();
            b[b.length / 2] ^= 0x5a;
            return new Answer(a.status(), a.headers(), b);
        };
        Device d = w.device("bytes", "echo idle");
        d.runner.run(1);
        String action = assign(d.id, path);
        d.runner.run(2);

        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "REFUSED"), states(d.id, action), log());
        assertTrue(detail(d.id, action, "REFUSED").startsWith("attack: " + path + " rejected on download: "), log());
        assertNothingInstalled(d);
    }

    @Test
    @Order(4)
    void aGatewayServingAnotherDevicesDirectorMetadataGetsNothingInstalled() throws Exception {
        admin = ItAccounts.admin(http);
        String path = release("fw", 70, "HEALTHY");
        World w = gateway(opened(new Link(SERVER)), 1 << 20, null);
        Device victim = w.device("victim", "echo idle");
        Device other = w.device("other", "echo busy");
        victim.runner.run(1);
        other.runner.run(1);
        // The other device (busy, so it only downloads) is ordered twice: its director files are at higher versions.
        String[] othersToken = new String[1];
        w.hostile.hook = (request, forward) -> {
            if (request.path().startsWith("/director/" + other.id + "/")) othersToken[0] = request.headers().get("Authorization");
            return forward.apply(request);
        };
        assign(other.id, path);
        other.runner.run(1);
        String path2 = release("fw", 71, "HEALTHY");
        String othersAction = assign(other.id, path2);
        other.runner.run(1);
        assertTrue(othersToken[0] != null, "the other device fetched its director metadata through the gateway");
        w.hostile.hook = (request, forward) -> request.path().startsWith("/director/" + victim.id + "/")
                ? forward.apply(request.to(request.path().replace("/director/" + victim.id + "/", "/director/" + other.id + "/"),
                        othersToken[0]))
                : forward.apply(request);

        String action = assign(victim.id, path);
        victim.runner.run(2);

        assertFalse(states(victim.id, action).contains("ASSIGNED"), log());
        List<JsonObject> refused = allReports(victim.id).stream().filter(r -> text(r, "state").equals("REFUSED")).toList();
        assertEquals(1, refused.size(), log());
        assertEquals("attack: director targets are signed for '" + other.id + "', not for this device " + victim.id,
                text(refused.get(0), "detail"), log());
        assertEquals(othersAction, text(refused.get(0), "actionId"), "filed under the action the replayed metadata names");
        assertNothingInstalled(victim);
    }

    @Test
    @Order(5)
    void aGatewayKeepingOldDirectorMetadataPastItsExpiryGetsNothingInstalledAndTheDeviceReportsTheFreeze() throws Exception {
        admin = ItAccounts.admin(http);
        String base = release("fw", 80, "HEALTHY");
        String next = release("fw", 81, "HEALTHY");
        World w = gateway(opened(new Link(SERVER)), 1 << 20, null);
        Device d = w.device("frozen", "echo idle");
        d.runner.run(1);
        String baseAction = assign(d.id, base);
        d.runner.run(3);
        assertEquals(INSTALLED, states(d.id, baseAction), log());
        byte[] frozen = Files.readAllBytes(d.dir.resolve("data").resolve("director").resolve("timestamp.json"));
        Instant frozenExpires = Signed.parse(frozen, Timestamp.class, "frozen timestamp").signed().expires();
        w.hostile.hook = (request, forward) -> request.path().equals("/director/" + d.id + "/metadata/timestamp.json")
                ? new Answer(200, Map.of("Content-Type", "application/json"), frozen)
                : forward.apply(request);
        // Almost a day on the server (virtual time, its watch keeps the image repository fresh), a little more on the
        // device: past the frozen timestamp's day, within the hour of the check-in token the server hands out.
        ServerClock server = new ServerClock();
        server.advance(Duration.ofHours(23).plusMinutes(2));
        d.clock.shift = server.shift().plus(Duration.ofMinutes(59));
        w.clock.shift = server.shift();

        String action = assign(d.id, next);
        d.runner.run(2);

        assertFalse(states(d.id, action).contains("ASSIGNED"), log());
        List<JsonObject> refused = allReports(d.id).stream().filter(r -> text(r, "state").equals("REFUSED")).toList();
        assertEquals(1, refused.size(), log());
        assertTrue(text(refused.get(0), "detail").startsWith("attack: director metadata rejected: timestamp expired at " + frozenExpires),
                text(refused.get(0), "detail"));
        assertEquals(JsonValue.of(base), installed(d.id).get("filepath"), "still the base release");
    }

    // ---- the world: server, link, gateway, hostile layer, devices ----

    /** A gateway on its own folder and loopback port, reached by the devices through {@code hostile} (passing by default). */
    private final class World {
        final Gateway gateway;
        final Link hostile;
        final ShiftedClock clock;
        final DeviceRunner self;
        final String selfId;

        World(Gateway gateway, Link hostile, ShiftedClock clock, DeviceRunner self, String selfId) {
            this.gateway = gateway;
            this.hostile = hostile;
            this.clock = clock;
            this.self = self;
            this.selfId = selfId;
        }

        /** A device enrolled through the gateway: its server, director and image URLs are all the gateway's. */
        Device device(String name, String state) throws Exception {
            String id = "gw-" + run + "-" + name;
            ProvisionedDevice provisioned = ProvisionedDevice.provision(http, admin, hardware, "gateway-it-");
            Path config = provisioned.dir().resolve("agent.properties");
            Files.writeString(config, String.join("\n",
                    "server.url=" + hostile.base(), "device.id=" + id, "hardware.id=" + hardware,
                    "enrollment.token=" + provisioned.enrollmentToken(), "state.command=" + state, "properties.file=device.properties",
                    "data.dir=data", "state.dir=state", "slots.dir=slots", "director.root=director-root.json", "image.root=image-root.json",
                    "health.command=grep -q HEALTHY image", "health.timeout-seconds=10", "boot.max-trial-boots=2", ""));
            ShiftedClock c = new ShiftedClock(new ServerClock().shift());
            // The cycles run back to back: the waits are not slept (the gateway's Retry-After is seconds, the server's poll minutes).
            DeviceRunner runner = DeviceRunner.of(RunConfig.load(config), c, wait -> { }, out);
            return new Device(id, provisioned.dir(), runner, c);
        }
    }

    /**
     * The gateway with its cloud link, configured from one file as {@code ota-agent --config FILE gateway} reads it. With
     * {@code selfHardware}, the same file makes the gateway a device too, whose director and image URLs are its own port.
     */
    private World gateway(Link cloud, long cacheBytes, String selfHardware) throws Exception {
        Path dir = Files.createTempDirectory("gateway-it-box-");
        Files.write(dir.resolve("image-root.json"), http.get("/metadata/1.root.json").body());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String local = "http://127.0.0.1:" + port;
        List<String> lines = new ArrayList<>(List.of("gateway.upstream=" + cloud.base(), "gateway.bind=127.0.0.1", "gateway.port=" + port,
                "gateway.dir=gateway", "gateway.image.root=image-root.json", "gateway.cache.max-bytes=" + cacheBytes,
                "gateway.retry-after-seconds=30", "gateway.request.timeout-seconds=10"));
        String selfId = null;
        if (selfHardware != null) {
            selfId = "gw-" + run + "-box";
            ProvisionedDevice p = ProvisionedDevice.provision(http, admin, selfHardware, "gateway-it-self-");
            Files.copy(p.dir().resolve("director-root.json"), dir.resolve("director-root.json"));
            lines.addAll(List.of("server.url=" + cloud.base(), "device.id=" + selfId, "hardware.id=" + selfHardware,
                    "enrollment.token=" + p.enrollmentToken(), "state.command=echo idle", "properties.file=device.properties",
                    "data.dir=data", "state.dir=state", "slots.dir=slots", "director.root=director-root.json", "director.url=" + local,
                    "image.root=image-root.json", "image.url=" + local, "health.command=grep -q HEALTHY image", "health.timeout-seconds=10"));
        }
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        assertTrue(GatewayConfig.present(file));
        ShiftedClock clock = new ShiftedClock(new ServerClock().shift());
        Gateway g = Gateway.start(GatewayConfig.load(file), clock, out);
        open.add(g);
        assertEquals(port, g.port());
        Link hostile = opened(new Link(g.base().toString()));
        DeviceRunner self = selfId == null ? null : DeviceRunner.of(RunConfig.load(file), clock, wait -> { }, out);
        return new World(g, hostile, clock, self, selfId);
    }

    private record Device(String id, Path dir, DeviceRunner runner, ShiftedClock clock) {
    }

    private void assertNothingInstalled(Device d) throws IOException {
        JsonObject ecu = (JsonObject) ((JsonObject) shown(d.id).get("ecus")).get(d.id);
        assertTrue(ecu.get("installed") == null || ecu.get("installed") == JsonValue.JsonNull.INSTANCE, "nothing installed: " + ecu);
        Path slots = d.dir.resolve("slots");
        for (String slot : List.of("a", "b")) {
            assertFalse(Files.exists(slots.resolve(slot).resolve("image")), "no image in slot " + slot + "\n" + log());
        }
    }

    private String release(String kind, long counter, String health) {
        return release(kind, counter, health, hardware);
    }

    private String release(String kind, long counter, String health, String hw) {
        String path = "lock-fw/gateway-" + run + "-" + kind + "-" + counter + ".bin";
        String custom = URLEncoder.encode("{\"releaseCounter\":" + counter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=" + counter + ".0"
                + "&hardwareId=" + hw + "&custom=" + custom, content(kind, counter, health), admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        return path;
    }

    private byte[] content(String kind, long counter, String health) {
        return ("firmware " + kind + " " + counter + " " + health + " " + run).getBytes(StandardCharsets.UTF_8);
    }

    private String assign(String deviceId, String path) {
        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/assignments", "{\"deviceId\":\"" + deviceId + "\",\"targetPath\":\"" + path + "\"}",
                admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        JsonObject order = (JsonObject) ((JsonValue.JsonArray) json(r).get("assignments")).elements().get(0);
        return ((JsonValue.JsonString) order.get("actionId")).value();
    }

    private JsonObject shown(String deviceId) {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/devices/" + deviceId, admin);
        assertEquals(200, r.statusCode(), Http.text(r));
        return json(r);
    }

    private JsonObject installed(String deviceId) {
        return (JsonObject) ((JsonObject) ((JsonObject) shown(deviceId).get("ecus")).get(deviceId)).get("installed");
    }

    /** The device's stored reports, by action and sequence number. */
    private List<JsonObject> allReports(String deviceId) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonValue v : ((JsonValue.JsonArray) shown(deviceId).get("reports")).elements()) out.add((JsonObject) v);
        out.sort(Comparator.comparing((JsonObject r) -> text(r, "actionId")).thenComparing(r -> ((JsonValue.JsonNumber) r.get("seq")).value()));
        return out;
    }

    private List<JsonObject> reports(String deviceId, String actionId) {
        return allReports(deviceId).stream().filter(r -> text(r, "actionId").equals(actionId)).toList();
    }

    private List<String> states(String deviceId, String actionId) {
        return reports(deviceId, actionId).stream().map(r -> text(r, "state")).toList();
    }

    private String detail(String deviceId, String actionId, String state) {
        return reports(deviceId, actionId).stream().filter(r -> text(r, "state").equals(state)).map(r -> text(r, "detail")).findFirst()
                .orElseThrow();
    }

    private <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String text(JsonObject o, String name) {
        return ((JsonValue.JsonString) o.get(name)).value();
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Real time plus a shift (the server's virtual time, and what a test lets pass on one device alone). */
    private static final class ShiftedClock extends Clock {
        volatile Duration shift;

        ShiftedClock(Duration shift) {
            this.shift = shift;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }

    private record Request(String method, String path, Map<String, String> headers, byte[] body) {
        Request to(String otherPath, String authorization) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put("Authorization", authorization);
            return new Request(method, otherPath, h, body);
        }
    }

    private record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private interface Hook {
        Answer handle(Request request, Function<Request, Answer> forward);
    }

    /**
     * A link this test controls: forwards every request to {@code target} through {@link #hook}, counts requests by path,
     * and while {@link #down} drops each connection unanswered (the cloud is gone).
     */
    private static final class Link implements AutoCloseable {
        static final Hook PASS = (request, forward) -> forward.apply(request);
        private static final List<String> FORWARDED = List.of("Authorization", "Accept", "Content-Type");
        private static final List<String> NOT_RETURNED = List.of("content-length", "transfer-encoding", "connection", "date");

        private final String target;
        private final HttpServer http;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        volatile Hook hook = PASS;
        volatile boolean down;

        Link(String target) throws IOException {
            this.target = target;
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.createContext("/", this::serve);
            http.start();
        }

        String base() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        /** Requests passed on whose path starts with {@code prefix} and contains {@code part}. */
        int count(String prefix, String part) {
            return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().contains(part))
                    .mapToInt(e -> e.getValue().get()).sum();
        }

        private void serve(HttpExchange ex) throws IOException {
            if (down) {
                // No answer at all: closing before any status line is a connection dropped.
                ex.close();
                return;
            }
            try (ex) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (String name : FORWARDED) {
                    String v = ex.getRequestHeaders().getFirst(name);
                    if (v != null) headers.put(name, v);
                }
                byte[] body = ex.getRequestBody().readAllBytes();
                String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
                counts.computeIfAbsent(ex.getRequestURI().getRawPath(), p -> new AtomicInteger()).incrementAndGet();
                Answer a;
                try {
                    a = hook.handle(new Request(ex.getRequestMethod(), path, headers, body), this::forward);
                } catch (RuntimeException | Error e) {
                    e.printStackTrace();
                    a = new Answer(502, Map.of(), ("link: " + e).getBytes(StandardCharsets.UTF_8));
                }
                a.headers().forEach((n, v) -> {
                    if (!NOT_RETURNED.contains(n.toLowerCase(java.util.Locale.ROOT))) ex.getResponseHeaders().add(n, v);
                });
                boolean empty = a.body().length == 0 || a.status() == 304;
                ex.sendResponseHeaders(a.status(), empty ? -1 : a.body().length);
                if (!empty) {
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(a.body());
                    }
                }
            }
        }

        private Answer forward(Request r) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + r.path())).timeout(Duration.ofSeconds(30))
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
}
