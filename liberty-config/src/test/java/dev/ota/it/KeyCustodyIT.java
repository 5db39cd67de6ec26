package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.client.HttpFetcher;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.trust.TrustedMetadataSet;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Online keys rotated and revoked through the management API by a security officer, and TUF clients that trust
 * only version 1 of a root following: tuf-core's updater and tuf-js for the image repository, tuf-js with a
 * device's token for the director. Auditors read the list and are refused (and audited) when they try to change
 * it. The rotations change the served roots, so this runs on a server of its own (failsafe execution it-keys).
 */
@ExtendWith(ArquillianExtension.class)
class KeyCustodyIT {
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    /** Only on the it-keys server: these tests change the served roots and move the server's time by weeks. */
    @BeforeEach
    void onTheKeysServerOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("ota.it.keys.server"),
                "runs in the failsafe execution it-keys");
    }

    @Test
    void officerRotatesTheSnapshotKeyAndClientsTrustingRootOneFollowTheNewRoot() throws Exception {
        // Arrange: an officer; clients that refreshed before the rotation (their trusted snapshot signed by the old key).
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        String[] officer = officer("officer-snap-" + run);
        String release = "firmware/keys/snap-" + run + ".bin";
        assertEquals(201, ItFleet.upload(http, ItAccounts.admin(http), release, "keys-hw-" + run, 1,
                ("image " + run).getBytes(StandardCharsets.UTF_8)).statusCode());
        Path tufCoreDir = Files.createTempDirectory("keys-tufcore-");
        Files.write(tufCoreDir.resolve("root.json"), http.get("/metadata/1.root.json").body());
        updater(tufCoreDir).refresh();
        Path tufJsDir = Files.createTempDirectory("keys-tufjs-");
        Files.createDirectories(tufJsDir.resolve("metadata"));
        Files.write(tufJsDir.resolve("metadata").resolve("root.json"), http.get("/metadata/1.root.json").body());
        assertEquals(JsonValue.of(true), tufJs(tufJsDir, "/metadata/", null, release).get("refreshed"));
        long rootBefore = currentRoot().version();
        String oldKey = activeKey(officer, "image", "snapshot");

        // Act
        HttpResponse<byte[]> rotated = http.send("POST", "/portal/api/v1/keys/image/snapshot/" + oldKey + "/rotate", officer);

        // Assert: root N+1 lists a new snapshot key, not the old one, and is signed by root N's keys.
        assertEquals(200, rotated.statusCode(), Http.text(rotated));
        JsonValue.JsonObject change = object(rotated.body());
        String newKey = string(change, "newKeyId");
        assertNotEquals(oldKey, newKey);
        assertEquals(JsonValue.of(rootBefore + 1), change.get("rootVersion"));
        Root root = currentRoot();
        assertEquals(List.of(newKey), root.role("snapshot").keyIds());
        assertFalse(root.keys().containsKey(oldKey), "the old snapshot key is gone from root");
        TrustedMetadataSet chain = new TrustedMetadataSet(http.get("/metadata/" + rootBefore + ".root.json").body(),
                Instant.now());
        chain.updateRoot(http.get("/metadata/" + (rootBefore + 1) + ".root.json").body());

        // Both clients, still holding the snapshot the old key signed, walk to the new root and refresh.
        Updater again = updater(tufCoreDir);
        again.refresh();
        assertEquals(rootBefore + 1, again.trusted().root().signed().version());
        assertTrue(again.findTarget(release) != null, "the release is still found");
        JsonValue.JsonObject js = tufJs(tufJsDir, "/metadata/", null, release);
        assertEquals(JsonValue.of(true), js.get("refreshed"), js.toString());
        assertEquals(JsonValue.of(rootBefore + 1), js.get("rootVersion"), js.toString());

        // The list: the new key in service, the old one retired by the officer, replaced by the new one.
        JsonValue.JsonObject retired = key(officer, oldKey);
        assertEquals(JsonValue.of("RETIRED"), retired.get("status"));
        assertEquals(JsonValue.of(officerName(officer)), retired.get("retiredBy"));
        assertEquals(JsonValue.of(newKey), retired.get("replacedBy"));
        assertEquals(JsonValue.of("ACTIVE"), key(officer, newKey).get("status"));
        assertTrue(ItAudit.has(http, "key.rotate", e -> e.outcome().equals("SUCCESS")
                && e.subject().contains(oldKey) && e.detail().contains(newKey)), "the rotation is audited");
    }

    @Test
    void officerRevokesTheReleasesKeyWithAReasonAndEveryBinIsSignedAnewUnderTheNewKey() throws Exception {
        // Arrange
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        String[] officer = officer("officer-rev-" + run);
        String release = "firmware/keys/rev-" + run + ".bin";
        assertEquals(201, ItFleet.upload(http, ItAccounts.admin(http), release, "keys-rev-hw-" + run, 1,
                ("image " + run).getBytes(StandardCharsets.UTF_8)).statusCode());
        String oldKey = activeKey(officer, "image", "releases");
        long rootBefore = currentRoot().version();

        // Act: without a reason (refused), then with one.
        HttpResponse<byte[]> noReason = http.postJson("/portal/api/v1/keys/image/releases/" + oldKey + "/revoke",
                "{\"reason\":\" \"}", officer);
        HttpResponse<byte[]> revoked = http.postJson("/portal/api/v1/keys/image/releases/" + oldKey + "/revoke",
                "{\"reason\":\"laptop with a keystore copy stolen\"}", officer);

        // Assert
        assertEquals(400, noReason.statusCode(), Http.text(noReason));
        assertEquals(JsonValue.of("keys.reason-required"), object(noReason.body()).get("code"));
        assertTrue(ItAudit.has(http, "key.revoke", e -> e.outcome().equals("DENIED")
                && e.detail().startsWith("keys.reason-required")), "the refusal is audited");
        assertEquals(200, revoked.statusCode(), Http.text(revoked));
        JsonValue.JsonObject change = object(revoked.body());
        String newKey = string(change, "newKeyId");
        assertEquals(JsonValue.of(rootBefore), change.get("rootVersion"), "a delegated key changes targets, not root");
        Targets top = Signed.parse(http.get("/metadata/" + snapshotListed("targets") + ".targets.json").body(),
                Targets.class, "targets").signed();
        assertEquals(List.of(newKey), top.delegations().orElseThrow().succinctRoles().orElseThrow().keyIds());
        Path fresh = Files.createTempDirectory("keys-rev-");
        Files.write(fresh.resolve("root.json"), http.get("/metadata/1.root.json").body());
        Updater client = updater(fresh);
        client.refresh();
        assertTrue(client.findTarget(release) != null, "the release verifies in its bin signed by the new key");
        JsonValue.JsonObject listed = key(officer, oldKey);
        assertEquals(JsonValue.of("REVOKED"), listed.get("status"));
        assertEquals(JsonValue.of("laptop with a keystore copy stolen"), listed.get("reason"));
        // Revoking it again: it is no longer in service.
        HttpResponse<byte[]> twice = http.postJson("/portal/api/v1/keys/image/releases/" + oldKey + "/revoke",
                "{\"reason\":\"again\"}", officer);
        assertEquals(409, twice.statusCode(), Http.text(twice));
        assertEquals(JsonValue.of("keys.retired"), object(twice.body()).get("code"));
    }

    @Test
    void officerRotatesTheDirectorTimestampKeyAndADeviceRepositoryFollowsItsNewRoot() throws Exception {
        // Arrange: a device with an order (the test device runs release counter 41); tuf-js read its director
        // repository once, trusting director root 1.
        String[] admin = ItAccounts.admin(http);
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        String[] officer = officer("officer-dir-" + run);
        String hardware = "keys-dir-" + run;
        String path = "lock-fw/keys-" + run + ".bin";
        assertEquals(201, ItFleet.upload(http, admin, path, hardware, 50, ("director " + run).getBytes(StandardCharsets.UTF_8))
                .statusCode());
        TestDevice device = ItFleet.enrolled(http, admin, "keys-device-" + run, hardware);
        assertEquals(200, device.checkin(http).statusCode());
        HttpResponse<byte[]> assigned = http.postJson("/portal/api/v1/assignments",
                "{\"deviceId\":\"" + device.id + "\",\"targetPath\":\"" + path + "\"}", admin);
        assertEquals(201, assigned.statusCode(), Http.text(assigned));
        String token = ItFleet.string(device.checkin(http), "token");
        Path work = Files.createTempDirectory("keys-director-");
        Files.createDirectories(work.resolve("metadata"));
        Files.write(work.resolve("metadata").resolve("root.json"), http.get("/director/root/1.root.json").body());
        String directorUrl = "/director/" + device.id + "/metadata/";
        assertEquals(JsonValue.of(true), tufJs(work, directorUrl, token, path).get("refreshed"));
        String oldKey = activeKey(officer, "director", "timestamp");

        // Act
        HttpResponse<byte[]> rotated = http.send("POST", "/portal/api/v1/keys/director/timestamp/" + oldKey + "/rotate",
                officer);

        // Assert: a new director root; tuf-js, holding the timestamp the old key signed, follows it and still
        // finds the order, which the director signed again under the new keys.
        assertEquals(200, rotated.statusCode(), Http.text(rotated));
        long version = ((JsonValue.JsonNumber) object(rotated.body()).get("rootVersion")).value().longValueExact();
        Root directorRoot = Signed.parse(http.get("/director/root/" + version + ".root.json").body(), Root.class,
                "director root").signed();
        String newKey = string(object(rotated.body()), "newKeyId");
        assertEquals(List.of(newKey), directorRoot.role("timestamp").keyIds());
        String newToken = ItFleet.string(device.checkin(http), "token");
        JsonValue.JsonObject after = tufJs(work, directorUrl, newToken, path);
        assertEquals(JsonValue.of(true), after.get("refreshed"), after.toString());
        assertEquals(JsonValue.of(version), after.get("rootVersion"), after.toString());
        JsonValue.JsonObject order = (JsonValue.JsonObject) ((JsonValue.JsonObject) after.get("targets")).get(path);
        assertEquals(JsonValue.of(true), order.get("found"), order.toString());
    }

    @Test
    void auditorReadsTheKeysButEveryChangeIsRefusedAndAudited() {
        // Arrange
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        String auditor = "auditor-keys-" + run;
        String[] credentials = Http.basic(auditor, ItAccounts.createWithPassword(http, auditor, "auditor"));

        // Act
        HttpResponse<byte[]> list = http.get("/portal/api/v1/keys", credentials);
        String someKey = activeKey(credentials, "image", "timestamp");
        HttpResponse<byte[]> rotate = http.send("POST", "/portal/api/v1/keys/image/timestamp/" + someKey + "/rotate",
                credentials);

        // Assert: every online role listed with type, age and holder, no key material; the rotation refused.
        assertEquals(200, list.statusCode(), Http.text(list));
        String body = Http.text(list);
        assertFalse(body.contains("PRIVATE") || body.contains("privateKey"), "no key material in the list");
        for (String role : List.of("timestamp", "snapshot", "targets", "releases")) {
            JsonValue.JsonObject k = key(credentials, activeKey(credentials, "image", role));
            assertEquals(JsonValue.of("ed25519"), k.get("keyType"));
            assertTrue(string(k, "holder").contains("keystore"), k.toString());
            assertTrue(Instant.parse(string(k, "created")).isBefore(serverClock.clock().instant().plusSeconds(1)));
        }
        for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
            activeKey(credentials, "director", role);
        }
        assertEquals(403, rotate.statusCode(), Http.text(rotate));
        assertEquals(JsonValue.of("auth.forbidden"), object(rotate.body()).get("code"));
        assertTrue(ItAudit.has(http, "auth.forbidden", e -> e.actor().equals(auditor)
                && e.subject().contains("/keys/image/timestamp/")), "the refusal is audited");
        assertEquals(someKey, activeKey(credentials, "image", "timestamp"), "the key is still in service");
    }

    @Test
    void rootKeysAndUnknownKeysAreRefusedWithTheirCodes() {
        String[] officer = officer("officer-ref-" + Long.toString(System.nanoTime() % 1_000_000, 36));
        String rootKey = activeKey(officer, "image", "root");

        HttpResponse<byte[]> root = http.send("POST", "/portal/api/v1/keys/image/root/" + rootKey + "/rotate", officer);
        HttpResponse<byte[]> unknown = http.send("POST", "/portal/api/v1/keys/image/snapshot/" + "ab".repeat(32)
                + "/rotate", officer);
        HttpResponse<byte[]> repository = http.send("POST", "/portal/api/v1/keys/nowhere/snapshot/x/rotate", officer);

        assertEquals(409, root.statusCode(), Http.text(root));
        assertEquals(JsonValue.of("keys.root-ceremony"), object(root.body()).get("code"));
        assertEquals(404, unknown.statusCode(), Http.text(unknown));
        assertEquals(JsonValue.of("keys.unknown"), object(unknown.body()).get("code"));
        assertEquals(404, repository.statusCode(), Http.text(repository));
    }

    private String[] officer(String name) {
        return Http.basic(name, ItAccounts.createWithPassword(http, name, "security-officer"));
    }

    private static String officerName(String[] basic) {
        String decoded = new String(java.util.Base64.getDecoder().decode(basic[1].substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return decoded.substring(0, decoded.indexOf(':'));
    }

    private List<JsonValue.JsonObject> keys(String[] credentials) {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/keys", credentials);
        assertEquals(200, r.statusCode(), Http.text(r));
        return ((JsonValue.JsonArray) object(r.body()).get("keys")).elements().stream()
                .map(v -> (JsonValue.JsonObject) v).toList();
    }

    private String activeKey(String[] credentials, String repository, String role) {
        return keys(credentials).stream()
                .filter(k -> JsonValue.of(repository).equals(k.get("repository")) && JsonValue.of(role).equals(k.get("role"))
                        && JsonValue.of("ACTIVE").equals(k.get("status")))
                .map(k -> string(k, "keyId")).findFirst()
                .orElseThrow(() -> new AssertionError("no active " + repository + " " + role + " key"));
    }

    private JsonValue.JsonObject key(String[] credentials, String keyId) {
        return keys(credentials).stream().filter(k -> JsonValue.of(keyId).equals(k.get("keyId"))).findFirst()
                .orElseThrow(() -> new AssertionError("key " + keyId + " is not listed"));
    }

    private Root currentRoot() {
        long v = 1;
        while (http.get("/metadata/" + (v + 1) + ".root.json").statusCode() == 200) {
            v++;
        }
        return Signed.parse(http.get("/metadata/" + v + ".root.json").body(), Root.class, v + ".root.json").signed();
    }

    private long snapshotListed(String role) {
        JsonValue.JsonObject ts = (JsonValue.JsonObject) ((JsonValue.JsonObject) Json.parse(
                http.get("/metadata/timestamp.json").body(), "timestamp")).get("signed");
        long snapshot = ((JsonValue.JsonNumber) ((JsonValue.JsonObject) ((JsonValue.JsonObject) ts.get("meta"))
                .get("snapshot.json")).get("version")).value().longValueExact();
        JsonValue.JsonObject snap = (JsonValue.JsonObject) ((JsonValue.JsonObject) Json.parse(
                http.get("/metadata/" + snapshot + ".snapshot.json").body(), "snapshot")).get("signed");
        return ((JsonValue.JsonNumber) ((JsonValue.JsonObject) ((JsonValue.JsonObject) snap.get("meta"))
                .get(role + ".json")).get("version")).value().longValueExact();
    }

    private Updater updater(Path dir) {
        return new Updater(URI.create("http://127.0.0.1:" + System.getProperty("ota.it.http.port") + "/metadata/"), dir,
                new HttpFetcher(), serverClock.clock(), UpdaterConfig.defaults());
    }

    /** tuf-js (from npm) refreshing from what {@code work/metadata} trusts, reporting {@code target}. */
    private JsonValue.JsonObject tufJs(Path work, String metadataPath, String token, String target)
            throws IOException, InterruptedException {
        return ItTufJs.client(work, metadataPath, token, List.of(target), false, serverClock);
    }

    private static JsonValue.JsonObject object(byte[] body) {
        return (JsonValue.JsonObject) Json.parse(body, "response");
    }

    private static String string(JsonValue.JsonObject o, String field) {
        return ((JsonValue.JsonString) o.get(field)).value();
    }
}
