package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Timestamp;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * tuf-js from npm (a client we did not write) against the running server, trusting only the
 * version-1 root. The server runs with a 20-second timestamp (failsafe execution it-tufjs), so the
 * test also proves that the server re-signs it on its own before clients could see it expired (in
 * virtual time: the test moves the server's clock, and tuf-js runs with the same shift).
 */
@ExtendWith(ArquillianExtension.class)
class TufJsInteropIT {
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void tufJsDownloadsUploadedReleasesAndFollowsARemovalAcrossTimestampRefreshes() throws Exception {
        // Arrange: two releases uploaded through the management API; tuf-js trusts only 1.root.json.
        String[] admin = admin();
        byte[] firmware = random(64 * 1024);
        byte[] app = random(3000);
        HttpResponse<byte[]> first = upload(admin, "firmware/gw/image-1.0.bin", firmware);
        assertEquals(201, first.statusCode(), Http.text(first));
        assertEquals(201, upload(admin, "apps/agent-2.0_build.tar", app).statusCode());
        Path work = Files.createTempDirectory("tufjs-");
        Path metadataDir = Files.createDirectories(work.resolve("metadata"));
        Files.write(metadataDir.resolve("root.json"), http.get("/metadata/1.root.json").body());

        // Act 1: tuf-js refreshes and downloads both.
        JsonValue.JsonObject run1 = tufJs(work, List.of("firmware/gw/image-1.0.bin", "apps/agent-2.0_build.tar"));

        // Assert 1
        assertEquals(JsonValue.of(true), run1.get("refreshed"), run1.toString());
        assertArrayEquals(firmware, Files.readAllBytes(downloaded(run1, "firmware/gw/image-1.0.bin")));
        assertArrayEquals(app, Files.readAllBytes(downloaded(run1, "apps/agent-2.0_build.tar")));

        // Act 2: the firmware release is removed; then the timestamp that listed the removal expires,
        // and only a timestamp the server re-signed by itself keeps the repository usable.
        long id = ((JsonValue.JsonNumber) ((JsonValue.JsonObject) Json.parse(first.body(), "release")).get("id"))
                .value().longValueExact();
        assertEquals(200, http.send("DELETE", "/portal/api/v1/releases/" + id, admin).statusCode());
        Signed<Timestamp> afterRemoval = timestamp();
        // Virtual time: into the timestamp's re-signing margin (half its 20 s), where the server's watch must
        // renew it on its own, then past the old expiry, where only the renewal keeps clients going.
        advanceTo(afterRemoval.signed().expires().minusSeconds(9));
        Signed<Timestamp> renewed = renewedAfter(afterRemoval.signed().version());
        advanceTo(afterRemoval.signed().expires().plusSeconds(1));
        assertTrue(renewed.signed().expires().isAfter(serverClock.clock().instant()), "renewed before the old one expired");
        Signed<Timestamp> refreshed = timestamp();
        assertTrue(refreshed.signed().version() > afterRemoval.signed().version(), "re-signed before expiry");
        assertTrue(refreshed.signed().expires().isAfter(serverClock.clock().instant()), "the served timestamp is not expired");
        JsonValue.JsonObject run2 = tufJs(work, List.of("firmware/gw/image-1.0.bin", "apps/agent-2.0_build.tar"));

        // Assert 2: tuf-js (with its persisted state) sees the removal and still verifies the rest.
        assertEquals(JsonValue.of(true), run2.get("refreshed"), run2.toString());
        JsonValue.JsonObject targets = (JsonValue.JsonObject) run2.get("targets");
        JsonValue.JsonObject removed = (JsonValue.JsonObject) targets.get("firmware/gw/image-1.0.bin");
        assertEquals(JsonValue.of(false), removed.get("found"), removed.toString());
        // Not found because its bin, verified, no longer lists it: tuf-js reports a failed verification
        // of the bin the same way, with an error beside it.
        assertTrue(!removed.has("error"), "the removal, not a verification failure: " + removed);
        assertArrayEquals(app, Files.readAllBytes(downloaded(run2, "apps/agent-2.0_build.tar")));
    }

    @Test
    void tufJsReadsADevicesDirectorRepositoryWithTheDevicesTokenAndNothingWithoutIt() throws Exception {
        // Arrange: a device that checked in, a release for its hardware assigned to it, its bearer token.
        String[] admin = admin();
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        // A product line of its own: release counters only rise per hardware id, and other ITs upload here too.
        String hardware = "lock-tufjs-" + run;
        String path = "lock-fw/tufjs-" + run + "-1.5.0.bin";
        byte[] image = random(2048);
        ItFleet.upload(http, admin, path, hardware, 50, image);
        TestDevice device = ItFleet.enrolled(http, admin, "tufjs-lock-" + run, hardware);
        assertEquals(200, device.checkin(http).statusCode());
        HttpResponse<byte[]> assigned = http.postJson("/portal/api/v1/assignments",
                "{\"deviceId\":\"" + device.id + "\",\"targetPath\":\"" + path + "\"}", admin);
        assertEquals(201, assigned.statusCode(), Http.text(assigned));
        String token = ItFleet.string(device.checkin(http), "token");
        String directorUrl = "/director/" + device.id + "/metadata/";

        // Act: tuf-js, trusting the director root shipped with devices, with and without the token.
        JsonValue.JsonObject withToken = tufJsInfo(directorUrl, token, path);
        JsonValue.JsonObject withoutToken = tufJsInfo(directorUrl, null, path);

        // Assert: the order verifies under the director root with the image repository's length and hashes;
        // the signed targets name the device; without the token nothing is read.
        assertEquals(JsonValue.of(true), withToken.get("refreshed"), withToken.toString());
        JsonValue.JsonObject order = (JsonValue.JsonObject) ((JsonValue.JsonObject) withToken.get("targets")).get(path);
        assertEquals(JsonValue.of(true), order.get("found"), order.toString());
        assertEquals(JsonValue.of(image.length), order.get("length"));
        assertEquals(JsonValue.obj("sha256", JsonValue.of(sha256(image))), order.get("hashes"));
        JsonValue.JsonObject custom = (JsonValue.JsonObject) order.get("custom");
        assertEquals(JsonValue.of(50), custom.get("releaseCounter"), custom.toString());
        assertTrue(((JsonValue.JsonObject) custom.get("ecuIdentifiers")).has(device.id), custom.toString());
        JsonValue.JsonObject persisted = (JsonValue.JsonObject) Json.parse(
                Files.readAllBytes(Path.of(((JsonValue.JsonString) withToken.get("metadataDir")).value(), "targets.json")),
                "targets.json");
        assertEquals(JsonValue.obj("deviceId", JsonValue.of(device.id)),
                ((JsonValue.JsonObject) persisted.get("signed")).get("custom"));
        assertEquals(JsonValue.of(false), withoutToken.get("refreshed"), withoutToken.toString());
    }

    /** tuf-js against {@code metadataPath} of this server, trusting the director root, reporting {@code target}'s info. */
    private JsonValue.JsonObject tufJsInfo(String metadataPath, String token, String target) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("tufjs-director-");
        Path metadataDir = Files.createDirectories(work.resolve("metadata"));
        Files.write(metadataDir.resolve("root.json"), http.get("/director/root/1.root.json").body());
        JsonValue.JsonObject result = ItTufJs.client(work, metadataPath, token, List.of(target), false, serverClock);
        java.util.Map<String, JsonValue> withDir = new java.util.LinkedHashMap<>(result.members());
        withDir.put("metadataDir", JsonValue.of(metadataDir.toString()));
        return new JsonValue.JsonObject(withDir);
    }

    private static String sha256(byte[] b) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private JsonValue.JsonObject tufJs(Path work, List<String> targets) throws IOException, InterruptedException {
        return ItTufJs.refresh(work, targets, serverClock);
    }

    private static Path downloaded(JsonValue.JsonObject run, String target) {
        JsonValue.JsonObject t = (JsonValue.JsonObject) ((JsonValue.JsonObject) run.get("targets")).get(target);
        assertEquals(JsonValue.of(true), t.get("found"), target + ": " + t);
        return Path.of(((JsonValue.JsonString) t.get("file")).value());
    }

    private Signed<Timestamp> timestamp() {
        return Signed.parse(http.get("/metadata/timestamp.json").body(), Timestamp.class, "timestamp.json");
    }

    /** Moves the server's clock (and so tuf-js's, which runs with the same shift) to {@code when} if it is ahead. */
    private void advanceTo(Instant when) {
        Duration d = Duration.between(serverClock.clock().instant(), when);
        if (!d.isNegative() && !d.isZero()) serverClock.advance(d);
    }

    /** The timestamp once the server's watch (every 2 s of real time) has renewed version {@code version}. */
    private Signed<Timestamp> renewedAfter(long version) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(30);
        Signed<Timestamp> t = timestamp();
        while (t.signed().version() <= version) {
            assertTrue(Instant.now().isBefore(giveUp), "the server did not renew timestamp version " + version + " within 30 s");
            Thread.sleep(250);
            t = timestamp();
        }
        return t;
    }

    private HttpResponse<byte[]> upload(String[] admin, String path, byte[] body) {
        return http.sendBytes("POST", "/portal/api/v1/releases?path=" + path.replace(" ", "%20").replace("+", "%2B")
                + "&version=1.0", body, admin);
    }

    /** Shared with MetadataExpiryIT on this server: whichever runs first replaces the one-time password. */
    private String[] admin() {
        return ItAccounts.admin(http);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
