package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import dev.ota.tuf.trust.TrustedMetadataSet;
import dev.ota.tuf.trust.UpdateOutcome;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real EAR on a fresh Liberty and an empty H2 database: bootstrap must have produced a
 * repository that tuf-core's client trust workflow accepts, served with the right headers, and the
 * management API must refuse anyone without credentials or role. One class, one server start.
 */
@ExtendWith(ArquillianExtension.class)
class RepositoryServerIT {
    private static final String ADMIN_PASSWORD = "it-admin-password-0123";

    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("ota.ear.file"));
        assertTrue(ear.isFile(), "the EAR must be built before the ITs: " + ear);
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
    }

    @Test
    void bootstrapPublishesVersionOneOfEveryRoleThatATufClientAccepts() {
        // Arrange: the version-1 root is the trust anchor a device ships with.
        HttpResponse<byte[]> root = http.get("/metadata/1.root.json");
        assertEquals(200, root.statusCode());
        TrustedMetadataSet trusted = new TrustedMetadataSet(root.body(), Instant.now());

        // Act: the refresh a client runs, step by step (TUF 5.4 to 5.6), by consistent-snapshot names.
        assertEquals(404, http.get("/metadata/2.root.json").statusCode());
        assertEquals(UpdateOutcome.UPDATED, trusted.updateTimestamp(http.get("/metadata/timestamp.json").body()));
        long snapshotVersion = trusted.timestamp().orElseThrow().signed().snapshotMeta().version();
        Signed<Snapshot> snapshot = trusted.updateSnapshot(
                http.get("/metadata/" + snapshotVersion + ".snapshot.json").body(), false);
        long targetsVersion = snapshot.signed().metaFor("targets").version();
        Signed<Targets> targets = trusted.updateTargets(
                http.get("/metadata/" + targetsVersion + ".targets.json").body());
        SuccinctRoles bins = targets.signed().delegations().orElseThrow().succinctRoles().orElseThrow();
        String bin = bins.roleNameFor("firmware/gateway.bin");
        long binVersion = snapshot.signed().metaFor(bin).version();
        Signed<Targets> binTargets = trusted.updateDelegatedTargets(
                http.get("/metadata/" + binVersion + "." + bin + ".json").body(), bin, "targets");

        // Assert: everything at version 1, 256 bins of the online 'releases' role, all listed, all empty.
        assertEquals(1, trusted.root().signed().version());
        assertTrue(trusted.root().signed().consistentSnapshot());
        assertEquals(1, snapshotVersion);
        assertEquals(1, targetsVersion);
        assertEquals("releases", bins.namePrefix());
        assertEquals(256, bins.binCount());
        assertEquals(257, snapshot.signed().meta().size(), "snapshot lists targets and every bin");
        assertTrue(binTargets.signed().targets().isEmpty());
    }

    @Test
    void servesVersionedMetadataAsImmutableWithTheSha256AsStrongEtag() throws Exception {
        HttpResponse<byte[]> versioned = http.get("/metadata/1.root.json");
        HttpResponse<byte[]> current = http.get("/metadata/root.json");

        assertEquals("public, max-age=31536000, immutable", header(versioned, "Cache-Control"));
        assertEquals("application/json", header(versioned, "Content-Type"));
        assertEquals("\"" + sha256(versioned.body()) + "\"", header(versioned, "ETag"));
        assertEquals(String.valueOf(versioned.body().length), header(versioned, "Content-Length"));
        assertArrayEquals(versioned.body(), current.body(), "root.json is the newest root, byte for byte");
        // Served bytes parse as a signed envelope (nothing re-serialised on the way).
        assertTrue(Json.parse(versioned.body(), "1.root.json") instanceof JsonValue.JsonObject);
    }

    @Test
    void servesTimestampWithAShortMaxAgeAndAnswersConditionalRequestsWith304() {
        HttpResponse<byte[]> timestamp = http.get("/metadata/timestamp.json");
        String etag = header(timestamp, "ETag");

        HttpResponse<byte[]> again = http.get("/metadata/timestamp.json", "If-None-Match", etag);

        assertEquals(200, timestamp.statusCode());
        assertEquals("public, max-age=5", header(timestamp, "Cache-Control"));
        Signed<Timestamp> parsed = Signed.parse(timestamp.body(), Timestamp.class, "timestamp.json");
        assertEquals(1, parsed.signed().version());
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(etag, header(again, "ETag"));
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() {
        HttpResponse<byte[]> get = http.get("/metadata/1.snapshot.json");
        HttpResponse<byte[]> head = http.head("/metadata/1.snapshot.json");

        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(header(get, "ETag"), header(head, "ETag"));
        assertEquals(header(get, "Cache-Control"), header(head, "Cache-Control"));
        assertEquals(String.valueOf(get.body().length), header(head, "Content-Length"));
    }

    @Test
    void answersEveryMissingNameWithA404JsonError() {
        List<String> missing = List.of(
                "/metadata/2.root.json",
                "/metadata/1.nosuchrole.json",
                "/metadata/nosuchrole.json",
                "/metadata/99999999999999999999.root.json",
                "/metadata/root",
                "/targets/firmware/" + "a".repeat(64) + ".gateway.bin",
                "/targets/firmware/gateway.bin",
                "/no/such/path");
        for (String path : missing) {
            HttpResponse<byte[]> r = http.get(path);

            assertEquals(404, r.statusCode(), path);
            assertTrue(header(r, "Content-Type").startsWith("application/json"), path);
            JsonValue.JsonObject body = (JsonValue.JsonObject) Json.parse(r.body(), path);
            assertTrue(body.has("code") && body.has("message"), path + " -> " + Http.text(r));
        }
    }

    @Test
    void refusesEncodedTraversalInTargetNamesWithoutServingAnything() {
        // Liberty's web container rejects an encoded slash (400) before any application sees it.
        for (String path : List.of("/targets/..%2F..%2Fetc%2Fpasswd", "/targets/%2E%2E/metadata/1.root.json",
                "/metadata/..%2Fmetadata%2F1.root.json")) {
            HttpResponse<byte[]> r = http.get(path);

            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, path + " -> " + r.statusCode());
            assertTrue(!Http.text(r).contains("\"signed\""), path + " served metadata");
        }
    }

    @Test
    void managementApiNeedsCredentialsAReplacedOneTimePasswordAndTheRightRole() throws IOException {
        Path passwordFile = Path.of(System.getProperty("ota.server.dir"), "data", "initial-admin-password");
        String oneTime = Files.readString(passwordFile).strip();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));

        assertEquals(401, http.get("/portal/api/v1/account").statusCode());
        assertEquals(401, http.get("/portal/api/v1/account", Http.basic("admin", "not-the-password")).statusCode());
        HttpResponse<byte[]> beforeChange = http.get("/portal/api/v1/account", Http.basic("admin", oneTime));
        assertEquals(403, beforeChange.statusCode());
        assertTrue(Http.text(beforeChange).contains("account.password-change-required"));

        HttpResponse<byte[]> tooShort = http.postJson("/portal/api/v1/account/password",
                "{\"current\":\"" + oneTime + "\",\"next\":\"short\"}", Http.basic("admin", oneTime));
        assertEquals(400, tooShort.statusCode());
        assertTrue(Http.text(tooShort).contains("account.weak-password"));
        assertEquals(204, http.postJson("/portal/api/v1/account/password",
                "{\"current\":\"" + oneTime + "\",\"next\":\"" + ADMIN_PASSWORD + "\"}",
                Http.basic("admin", oneTime)).statusCode());
        String[] admin = Http.basic("admin", ADMIN_PASSWORD);
        assertTrue(Http.text(http.get("/portal/api/v1/account", admin)).contains("\"administrator\""));

        HttpResponse<byte[]> created = http.postJson("/portal/api/v1/accounts",
                "{\"username\":\"rel\",\"roles\":[\"release-manager\"]}", admin);
        assertEquals(201, created.statusCode());
        String relOneTime = ((JsonValue.JsonString) ((JsonValue.JsonObject) Json.parse(created.body(), "created"))
                .get("oneTimePassword")).value();
        assertEquals(204, http.postJson("/portal/api/v1/account/password",
                "{\"current\":\"" + relOneTime + "\",\"next\":\"release-manager-pw-0123\"}",
                Http.basic("rel", relOneTime)).statusCode());
        String[] releaseManager = Http.basic("rel", "release-manager-pw-0123");

        HttpResponse<byte[]> forbidden = http.postJson("/portal/api/v1/accounts",
                "{\"username\":\"mallory\",\"roles\":[\"administrator\"]}", releaseManager);
        assertEquals(403, forbidden.statusCode());
        assertTrue(Http.text(forbidden).contains("auth.forbidden"));
        assertEquals(403, http.get("/portal/api/v1/audit", releaseManager).statusCode());

        HttpResponse<byte[]> token = http.postJson("/portal/api/v1/tokens", "{\"label\":\"ci pipeline\"}", releaseManager);
        assertEquals(201, token.statusCode());
        String secret = ((JsonValue.JsonString) ((JsonValue.JsonObject) Json.parse(token.body(), "token")).get("token")).value();
        assertTrue(Http.text(http.get("/portal/api/v1/account", Http.bearer(secret))).contains("\"release-manager\""));
        assertEquals(401, http.get("/portal/api/v1/account", Http.bearer(secret + "x")).statusCode());

        String audit = Http.text(http.get("/portal/api/v1/audit?limit=1000", admin));
        assertTrue(audit.contains("repository.bootstrap"), audit);
        assertTrue(audit.contains("\"DENIED\""), "refused logins are audited: " + audit);
        assertTrue(audit.contains("token.issue"), audit);
        assertEquals("{\"intact\":true}", Http.text(http.get("/portal/api/v1/audit/verification", admin)));
    }

    private static String header(HttpResponse<byte[]> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
