package dev.ota.it;

import dev.ota.agent.device.RunConfig;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.tuf.crypto.Signing;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import dev.ota.it.ItProxy.Answer;
import dev.ota.it.ItProxy.Request;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on a device following its director (issue 12, "What it must show"), each through the real agent
 * ({@code ota-agent run}) against the real server. The device reaches the director and the image repository through
 * a man in the middle ({@link ItProxy}); its check-ins go to the server directly. Where the attack is a compromised
 * management server, the proxy re-signs director metadata with the director's own online keys, read from the
 * server's data directory: it can sign for the director, never for the image repository. Every device first runs
 * a genuine base release; after each attack: nothing installed (slots byte for byte as before, the server still
 * shows the base release), a REFUSED {@code attack:} report stored on the server, and the trusted director
 * metadata on the device unchanged.
 */
@ExtendWith(ArquillianExtension.class)
class DirectorAttacksIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Product lines of this class's own: release counters only rise per hardware id, and other ITs upload here too. */
    private static final String HARDWARE = "lock-v2-" + RUN;
    private static final String OTHER_HARDWARE = "lock-v1-" + RUN;
    private static final String BASE = "lock-fw/attacks-" + RUN + "-base.bin";
    private static final String NEXT = "lock-fw/attacks-" + RUN + "-next.bin";
    private static final String OLD = "lock-fw/attacks-" + RUN + "-old.bin";
    private static final String FOREIGN = "lock-fw/attacks-" + RUN + "-lock-v1.bin";
    private static final long BASE_COUNTER = 10;
    private static final long NEXT_COUNTER = 20;
    private static final long OLD_COUNTER = 5;
    private static final String SERVER = "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");

    private static ItProxy proxy;
    private static boolean releasesUploaded;

    private final Http http = new Http();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void disarm() {
        if (proxy != null) proxy.hook = ItProxy.PASS;
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) proxy.close();
    }

    // ---- a compromised director: signs with its real keys what the image repository does not sign ----

    @Test
    void anImageTheImageRepositoryDoesNotListIsRefused() throws Exception {
        Device d = runningBase();
        String unlisted = "lock-fw/attacks-" + RUN + "-unlisted.bin";
        d.forgeTargets((path, t) -> Map.entry(unlisted, t));

        String detail = d.attackedBy(assignNext(d));

        assertTrue(detail.contains("director lists " + unlisted + " but the image repository does not"), detail);
    }

    @Test
    void anImageListedWithAnotherHashIsRefused() throws Exception {
        Device d = runningBase();
        d.forgeTargets((path, t) -> Map.entry(path,
                new TargetFile(t.length(), Map.of("sha256", sha256("evil " + RUN)), t.custom(), t.unrecognized())));

        String detail = d.attackedBy(assignNext(d));

        assertTrue(detail.contains("director lists " + NEXT + " with sha256 "), detail);
        assertTrue(detail.contains("but the image repository lists sha256 "), detail);
    }

    @Test
    void anImageListedWithAnotherLengthIsRefused() throws Exception {
        Device d = runningBase();
        d.forgeTargets((path, t) -> Map.entry(path, new TargetFile(t.length() + 1, t.hashes(), t.custom(), t.unrecognized())));

        String detail = d.attackedBy(assignNext(d));

        long length = content(NEXT_COUNTER).length;
        assertTrue(detail.contains("director lists " + NEXT + " with length " + (length + 1) + " but the image repository lists " + length),
                detail);
    }

    @Test
    void anImageTheImageRepositoryListsForAnotherHardwareIsRefused() throws Exception {
        Device d = runningBase();
        // The director claims the lock-v1 image is for this lock-v2 device; only the image repository tells the truth.
        byte[] foreign = foreignContent();
        d.forgeTargets((path, t) -> Map.entry(FOREIGN,
                new TargetFile(foreign.length, Map.of("sha256", sha256(foreign)), t.custom(), t.unrecognized())));

        String detail = d.attackedBy(assignNext(d));

        assertTrue(detail.contains("director lists " + FOREIGN + " for hardware [" + HARDWARE + "] but the image repository for ["
                + OTHER_HARDWARE + "]"), detail);
    }

    @Test
    void anImageWithAReleaseCounterBelowTheRunningOneIsRefused() throws Exception {
        Device d = runningBase();
        // Old bytes the image repository really lists, with their real (lower) counter: a downgrade both would agree on.
        byte[] old = content(OLD_COUNTER);
        d.forgeTargets((path, t) -> Map.entry(OLD, new TargetFile(old.length, Map.of("sha256", sha256(old)),
                Optional.of(withMember((JsonObject) t.custom().orElseThrow(), "releaseCounter", JsonValue.of(OLD_COUNTER))),
                t.unrecognized())));

        String detail = d.attackedBy(assignNext(d));

        assertTrue(detail.contains("director lists " + OLD + " with release counter " + OLD_COUNTER + ", below the running release's "
                + BASE_COUNTER), detail);
    }

    @Test
    void directorMetadataSignedByAKeyOutsideTheDirectorRootIsRefused() throws Exception {
        Device d = runningBase();
        SigningKey stranger = SigningKey.generate();
        d.rewriteTargets(bytes -> Signing.sign(Signed.parse(bytes, Targets.class, "director targets").signed(), List.of(stranger))
                .toBytes().toArray());

        String detail = d.attackedBy(assignNext(d));

        assertTrue(detail.startsWith("attack: director metadata rejected: "), detail);
    }

    // ---- replay and freeze: genuine director metadata, served where or when it does not belong ----

    @Test
    void directorMetadataOfAnotherDeviceReplayedIsRefused() throws Exception {
        Device victim = runningBase();
        // Device B, busy so it only downloads, is ordered twice: its director files are at versions above the victim's.
        Device other = enrolled("echo busy");
        String[] othersToken = new String[1];
        proxy.hook = (request, forward) -> {
            if (request.path().startsWith("/director/" + other.id + "/")) othersToken[0] = request.headers().get("Authorization");
            return forward.apply(request);
        };
        assign(other, BASE);
        other.runner.run(1);
        String othersAction = assign(other, NEXT);
        other.runner.run(1);
        assertTrue(othersToken[0] != null, "device B fetched its director metadata through the proxy");
        proxy.hook = (request, forward) -> request.path().startsWith("/director/" + victim.id + "/")
                ? forward.apply(request.to(request.path().replace("/director/" + victim.id + "/", "/director/" + other.id + "/"),
                        othersToken[0]))
                : forward.apply(request);

        String detail = victim.attackedBy(assignNext(victim));

        assertEquals("attack: director targets are signed for '" + other.id + "', not for this device " + victim.id, detail);
        assertTrue(victim.refusedUnder(othersAction), "filed under the action the replayed metadata names");
    }

    @Test
    void directorMetadataFrozenPastItsExpiryIsRefused() throws Exception {
        Device d = runningBase();
        // The proxy keeps serving the timestamp the device already trusts while the director signs on.
        byte[] frozen = Files.readAllBytes(d.trustedDirector().resolve("timestamp.json"));
        Instant frozenExpires = Signed.parse(frozen, Timestamp.class, "frozen timestamp").signed().expires();
        proxy.hook = (request, forward) -> request.path().equals("/director/" + d.id + "/metadata/timestamp.json")
                ? new Answer(200, Map.of("Content-Type", "application/json"), frozen)
                : forward.apply(request);
        // Then almost a day passes on the server (virtual time, so its watch keeps the image repository fresh) and
        // a little more on the device: past the frozen timestamp's day, still within the hour of the check-in token
        // the server hands out (the agent judges that token's expiry by its own clock).
        ServerClock server = new ServerClock();
        server.advance(Duration.ofHours(23).plusMinutes(2));
        d.clock.shift = server.shift().plus(Duration.ofMinutes(59));

        String detail = d.attackedBy(assignNext(d));

        assertTrue(detail.startsWith("attack: director metadata rejected: timestamp expired at " + frozenExpires), detail);
    }

    // ---- a man in the middle without any key ----

    @Test
    void imageBytesRewrittenOnTheWayAreRefused() throws Exception {
        Device d = runningBase();
        proxy.hook = (request, forward) -> {
            Answer a = forward.apply(request);
            if (!request.path().startsWith("/targets/") || a.status() != 200) return a;
            byte[] b = a.body().clone();
            b[b.length / 2] ^= 0x5a;
            return a.withBody(b);
        };
        Map<String, String> slots = d.slots();

        String action = assignNext(d);
        d.runner.run(2);

        // The order itself is genuine and trusted; the bytes are not: refused after the download, nothing kept.
        assertEquals(slots, d.slots(), "slots unchanged\n" + d.log());
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "REFUSED"), d.states(action), d.log());
        String detail = d.detail(action, "REFUSED");
        assertTrue(detail.startsWith("attack: " + NEXT + " rejected on download: "), detail);
        d.stillRunsBase();
        d.nothingStaged();
    }

    @Test
    void directorMetadataBytesRewrittenOnTheWayAreRefused() throws Exception {
        Device d = runningBase();
        d.rewriteTargets(bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            String changed = text.replace("\"releaseCounter\":" + NEXT_COUNTER, "\"releaseCounter\":" + (NEXT_COUNTER + 1));
            assertFalse(changed.equals(text), "the order was rewritten: " + text);
            return changed.getBytes(StandardCharsets.UTF_8);
        });

        String detail = d.attackedBy(assignNext(d));

        assertTrue(detail.startsWith("attack: director metadata rejected: "), detail);
    }

    // ---- the device and its world ----

    /** A device on the proxy, enrolled and checked in once; {@code state} is its state command. */
    private Device enrolled(String state) throws Exception {
        synchronized (DirectorAttacksIT.class) {
            if (proxy == null) proxy = new ItProxy(SERVER);
        }
        String[] admin = ItAccounts.admin(http);
        uploadReleasesOnce(admin);
        String id = "attack-" + RUN + "-" + UUID.randomUUID().toString().substring(0, 6);
        ProvisionedDevice provisioned = ProvisionedDevice.provision(http, admin, HARDWARE, "director-attacks-it-");
        Path dir = provisioned.dir();
        String token = provisioned.enrollmentToken();
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "server.url=" + SERVER, "device.id=" + id, "hardware.id=" + HARDWARE, "enrollment.token=" + token,
                "state.command=" + state, "properties.file=device.properties", "data.dir=data",
                "state.dir=state", "slots.dir=slots", "director.root=director-root.json", "director.url=" + proxy.base(),
                "image.root=image-root.json", "image.url=" + proxy.base(),
                "health.command=grep -q HEALTHY image", "health.timeout-seconds=10", "boot.max-trial-boots=2", ""));
        ShiftedClock clock = new ShiftedClock();
        // The cycles run back to back: the server's interval is minutes, and its waits are not slept.
        DeviceRunner runner = DeviceRunner.of(RunConfig.load(config), clock, wait -> { },
                new PrintStream(log, true, StandardCharsets.UTF_8));
        runner.run(1);
        return new Device(id, dir, runner, clock, admin);
    }

    /** A device that installed and committed the base release, genuinely. */
    private Device runningBase() throws Exception {
        Device d = enrolled("echo idle");
        String action = assign(d, BASE);
        d.runner.run(3);
        d.baseAction = action;
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "SUCCEEDED"), d.states(action), d.log());
        d.stillRunsBase();
        return d;
    }

    /** The server signs a genuine order of the next release for the device: what a compromised director rewrites. */
    private String assignNext(Device d) {
        return assign(d, NEXT);
    }

    private String assign(Device d, String path) {
        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/assignments",
                "{\"deviceId\":\"" + d.id + "\",\"targetPath\":\"" + path + "\"}", d.admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        JsonObject order = (JsonObject) ((JsonValue.JsonArray) json(r).get("assignments")).elements().get(0);
        return ((JsonValue.JsonString) order.get("actionId")).value();
    }

    private void uploadReleasesOnce(String[] admin) {
        synchronized (DirectorAttacksIT.class) {
            if (releasesUploaded) return;
            upload(admin, OLD, OLD_COUNTER, HARDWARE, content(OLD_COUNTER));
            upload(admin, BASE, BASE_COUNTER, HARDWARE, content(BASE_COUNTER));
            upload(admin, NEXT, NEXT_COUNTER, HARDWARE, content(NEXT_COUNTER));
            upload(admin, FOREIGN, NEXT_COUNTER, OTHER_HARDWARE, foreignContent());
            releasesUploaded = true;
        }
    }

    private void upload(String[] admin, String path, long counter, String hardware, byte[] content) {
        String custom = URLEncoder.encode("{\"releaseCounter\":" + counter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=" + counter + ".0"
                + "&hardwareId=" + hardware + "&custom=" + custom, content, admin);
        assertEquals(201, r.statusCode(), Http.text(r));
    }

    private static byte[] content(long counter) {
        return ("firmware " + counter + " HEALTHY " + RUN).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] foreignContent() {
        return ("firmware for " + OTHER_HARDWARE + " HEALTHY " + RUN).getBytes(StandardCharsets.UTF_8);
    }

    /** One enrolled device: its folder, its agent, its clock. */
    private final class Device {
        final String id;
        final Path dir;
        final DeviceRunner runner;
        final ShiftedClock clock;
        final String[] admin;
        /** The genuine release the device runs before the attack. */
        String baseAction;

        Device(String id, Path dir, DeviceRunner runner, ShiftedClock clock, String[] admin) {
            this.id = id;
            this.dir = dir;
            this.runner = runner;
            this.clock = clock;
            this.admin = admin;
        }

        Path trustedDirector() {
            return dir.resolve("data").resolve("director");
        }

        /** The compromised director: this device's targets re-signed with the director's real targets key. */
        void forgeTargets(java.util.function.BiFunction<String, TargetFile, Map.Entry<String, TargetFile>> change) {
            SigningKey key = DirectorKeys.targets();
            rewriteTargets(bytes -> {
                Targets genuine = Signed.parse(bytes, Targets.class, "director targets").signed();
                Map<String, TargetFile> listed = new LinkedHashMap<>();
                genuine.targets().forEach((path, t) -> {
                    Map.Entry<String, TargetFile> e = change.apply(path, t);
                    listed.put(e.getKey(), e.getValue());
                });
                Targets forged = new Targets(genuine.specVersion(), genuine.version(), genuine.expires(), listed, genuine.delegations(),
                        genuine.unrecognized());
                return Signing.sign(forged, List.of(key)).toBytes().toArray();
            });
        }

        /**
         * Rewrites the device's director targets on their way to it once they order the next release (the director's
         * snapshot names the targets by version only, so the timestamp and snapshot stay the genuine ones).
         */
        void rewriteTargets(Function<byte[], byte[]> rewrite) {
            String prefix = "/director/" + id + "/metadata/";
            proxy.hook = (request, forward) -> {
                Answer a = forward.apply(request);
                if (!request.path().startsWith(prefix) || !request.path().endsWith(".targets.json") || a.status() != 200
                        || !new String(a.body(), StandardCharsets.UTF_8).contains(NEXT)) {
                    return a;
                }
                return a.withBody(rewrite.apply(a.body()));
            };
        }

        /**
         * Runs the device through the attack (its check-in names the new director version, the next one carries the
         * report) and checks the outcome every attack must have; returns the {@code attack:} detail the server got.
         */
        String attackedBy(String genuineAction) throws Exception {
            Map<String, String> slots = slots();
            Map<String, String> trusted = files(trustedDirector());
            runner.run(2);
            assertEquals(slots, slots(), "nothing installed: the slots are as they were\n" + log());
            assertEquals(trusted, files(trustedDirector()), "the trusted director metadata is unchanged\n" + log());
            stillRunsBase();
            nothingStaged();
            // Since the base release, the server got exactly one report: the refusal (filed under the action the
            // refused metadata names, or under the director version when it names none). The order is never taken.
            List<JsonObject> since = reports().stream().filter(r -> !text(r, "actionId").equals(baseAction)).toList();
            assertEquals(1, since.size(), "one report, the refusal: " + since + "\n" + log());
            assertEquals("REFUSED", text(since.get(0), "state"), log());
            assertFalse(states(genuineAction).contains("ASSIGNED"), log());
            String detail = text(since.get(0), "detail");
            assertTrue(detail.startsWith("attack: "), detail);
            return detail;
        }

        boolean refusedUnder(String actionId) {
            return states(actionId).equals(List.of("REFUSED"));
        }

        void stillRunsBase() {
            JsonObject ecu = (JsonObject) ((JsonObject) shown().get("ecus")).get(id);
            JsonObject installed = (JsonObject) ecu.get("installed");
            assertEquals(JsonValue.of(BASE), installed.get("filepath"), "the committed image is still the base release: " + ecu);
            assertEquals(JsonValue.of(BASE_COUNTER), installed.get("releaseCounter"));
        }

        void nothingStaged() throws IOException {
            assertEquals(Map.of(), files(dir.resolve("state").resolve("staging")), "nothing downloaded is kept");
        }

        /** Every file of the slots folder (images and boot state), by relative path, as SHA-256. */
        Map<String, String> slots() throws IOException {
            return files(dir.resolve("slots"));
        }

        JsonObject shown() {
            HttpResponse<byte[]> r = http.get("/portal/api/v1/devices/" + id, admin);
            assertEquals(200, r.statusCode(), Http.text(r));
            return json(r);
        }

        List<JsonObject> reports() {
            List<JsonObject> out = new ArrayList<>();
            for (JsonValue v : ((JsonValue.JsonArray) shown().get("reports")).elements()) out.add((JsonObject) v);
            out.sort(java.util.Comparator.comparing((JsonObject r) -> text(r, "actionId"))
                    .thenComparing(r -> ((JsonValue.JsonNumber) r.get("seq")).value()));
            return out;
        }

        /** The action's reported states in sequence order, as the server stored them. */
        List<String> states(String actionId) {
            return reports().stream().filter(r -> text(r, "actionId").equals(actionId)).map(r -> text(r, "state")).toList();
        }

        String detail(String actionId, String state) {
            return reports().stream().filter(r -> text(r, "actionId").equals(actionId) && text(r, "state").equals(state))
                    .map(r -> text(r, "detail")).findFirst().orElseThrow();
        }

        String log() {
            return CanonicalJson.encodeToString(shown()) + "\n" + log.toString(StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
        }
        return out;
    }

    private static String text(JsonObject o, String name) {
        return ((JsonValue.JsonString) o.get(name)).value();
    }

    private static JsonObject withMember(JsonObject o, String name, JsonValue value) {
        Map<String, JsonValue> members = new LinkedHashMap<>(o.members());
        members.put(name, value);
        return new JsonObject(members);
    }

    private static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    /** The device's clock: real time, plus what a test lets pass on the device alone. */
    private static final class ShiftedClock extends Clock {
        volatile Duration shift = Duration.ZERO;

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

    /**
     * The director's online targets key, from its keystore in the IT server's data directory (OnlineKeyStore: the
     * keystore {@code keys/director-keys.p12}, its password in {@code keys/keystore-password} beside it, aliases
     * {@code <role>.<key id prefix>}).
     */
    private static final class DirectorKeys {
        private static SigningKey targets;

        static synchronized SigningKey targets() {
            if (targets != null) return targets;
            Path keys = Path.of(System.getProperty("ota.data.dir"), "keys");
            try (InputStream in = Files.newInputStream(keys.resolve("director-keys.p12"))) {
                char[] password = Files.readString(keys.resolve("keystore-password")).strip().toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, password);
                for (String alias : Collections.list(ks.aliases())) {
                    if (alias.startsWith("targets.")) {
                        targets = SigningKey.fromPrivateKey((PrivateKey) ks.getKey(alias, password));
                        return targets;
                    }
                }
                throw new IllegalStateException("no targets key in the director keystore");
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the director keystore: " + e, e);
            }
        }
    }
}
