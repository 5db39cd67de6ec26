package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.TargetFile;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real EAR on a fresh Liberty and an empty H2 database: bootstrap must have produced a
 * repository that tuf-core's client trust workflow accepts, served with the right headers, and the
 * management API must refuse anyone without credentials or role. One class, one server start.
 */
@ExtendWith(ArquillianExtension.class)
class RepositoryServerIT {
    private static final String ADMIN_PASSWORD = ItAccounts.ADMIN_PASSWORD;

    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("ota.ear.file"));
        assertTrue(ear.isFile(), "the EAR must be built before the ITs: " + ear);
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
    }

    @Test
    void bootstrapPublishesVersionOneOfEveryRoleThatATufClientAccepts() {
        // Arrange: the version-1 root is the trust anchor a device ships with. Other tests publish
        // into the same repository, so version 1 of each role is read by its versioned name.
        HttpResponse<byte[]> root = http.get("/metadata/1.root.json");
        assertEquals(200, root.statusCode());
        TrustedMetadataSet trusted = new TrustedMetadataSet(root.body(), Instant.now());

        // Act: the refresh a client runs (TUF 5.4 to 5.6) over what bootstrap signed.
        assertEquals(404, http.get("/metadata/2.root.json").statusCode());
        assertEquals(UpdateOutcome.UPDATED, trusted.updateTimestamp(http.get("/metadata/1.timestamp.json").body()));
        Signed<Snapshot> snapshot = trusted.updateSnapshot(http.get("/metadata/1.snapshot.json").body(), false);
        Signed<Targets> targets = trusted.updateTargets(http.get("/metadata/1.targets.json").body());
        SuccinctRoles bins = targets.signed().delegations().orElseThrow().succinctRoles().orElseThrow();
        String bin = bins.roleNameFor("firmware/never-uploaded.bin");
        Signed<Targets> binTargets = trusted.updateDelegatedTargets(
                http.get("/metadata/1." + bin + ".json").body(), bin, "targets");

        // Assert: everything at version 1, 256 bins of the online 'releases' role, all listed, all empty.
        assertEquals(1, trusted.root().signed().version());
        assertTrue(trusted.root().signed().consistentSnapshot());
        assertEquals(1, trusted.timestamp().orElseThrow().signed().snapshotMeta().version());
        assertEquals(1, snapshot.signed().metaFor("targets").version());
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
        assertTrue(parsed.signed().version() >= 1);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(etag, header(again, "ETag"));
    }

    @Test
    void unversionedNamesServeExactlyTheVersionsTheCurrentSnapshotLists() {
        String path = "firmware/it/unversioned.bin";
        assertEquals(201, upload(admin(), path, "1", randomBytes(32), "").statusCode());
        String bin = binFor(path);

        // The names a client without consistent snapshots asks for, against the versions the chain names.
        Signed<Timestamp> timestamp = Signed.parse(http.get("/metadata/timestamp.json").body(), Timestamp.class, "t");
        long snapshotVersion = timestamp.signed().snapshotMeta().version();
        byte[] snapshot = http.get("/metadata/snapshot.json").body();
        Snapshot listed = Signed.parse(snapshot, Snapshot.class, "snapshot").signed();

        assertArrayEquals(http.get("/metadata/" + snapshotVersion + ".snapshot.json").body(), snapshot);
        for (String role : List.of("targets", bin)) {
            long version = listed.metaFor(role).version();
            assertArrayEquals(http.get("/metadata/" + version + "." + role + ".json").body(),
                    http.get("/metadata/" + role + ".json").body(), role);
        }
        assertTrue(listedTarget(path).isPresent(), "the bin served under its plain name lists the upload");
        long rootVersion = Signed.parse(http.get("/metadata/root.json").body(), dev.ota.tuf.metadata.Root.class,
                "root").signed().version();
        assertArrayEquals(http.get("/metadata/" + rootVersion + ".root.json").body(), http.get("/metadata/root.json").body());
        assertEquals(404, http.get("/metadata/" + (rootVersion + 1) + ".root.json").statusCode());
        assertEquals(404, http.get("/metadata/releases-zz.json").statusCode());
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
        Path passwordFile = Path.of(System.getProperty("ota.data.dir"), "initial-admin-password");
        // The server deletes the file once the password was changed (another IT may have done that first).
        if (Files.exists(passwordFile)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        }
        String[] admin = admin();

        assertEquals(401, http.get("/portal/api/v1/account").statusCode());
        assertEquals(401, http.get("/portal/api/v1/account", Http.basic("admin", "not-the-password")).statusCode());
        assertTrue(Http.text(http.get("/portal/api/v1/account", admin)).contains("\"administrator\""));

        String relOneTime = createAccount(admin, "rel", "release-manager");
        HttpResponse<byte[]> beforeChange = http.get("/portal/api/v1/account", Http.basic("rel", relOneTime));
        assertEquals(403, beforeChange.statusCode());
        assertTrue(Http.text(beforeChange).contains("account.password-change-required"));
        HttpResponse<byte[]> tooShort = http.postJson("/portal/api/v1/account/password",
                "{\"current\":\"" + relOneTime + "\",\"next\":\"short\"}", Http.basic("rel", relOneTime));
        assertEquals(400, tooShort.statusCode());
        assertTrue(Http.text(tooShort).contains("account.weak-password"));
        String[] releaseManager = changeOneTimePassword("rel", relOneTime);

        HttpResponse<byte[]> forbidden = http.postJson("/portal/api/v1/accounts",
                "{\"username\":\"mallory\",\"roles\":[\"administrator\"]}", releaseManager);
        assertEquals(403, forbidden.statusCode());
        assertTrue(Http.text(forbidden).contains("auth.forbidden"));
        assertEquals(403, http.get("/portal/api/v1/audit", releaseManager).statusCode());

        HttpResponse<byte[]> token = http.postJson("/portal/api/v1/tokens", "{\"label\":\"ci pipeline\"}", releaseManager);
        assertEquals(201, token.statusCode());
        String secret = string(token, "token");
        assertTrue(Http.text(http.get("/portal/api/v1/account", Http.bearer(secret))).contains("\"release-manager\""));
        assertEquals(401, http.get("/portal/api/v1/account", Http.bearer(secret + "x")).statusCode());

        String audit = Http.text(http.get("/portal/api/v1/audit?limit=1000", admin));
        assertTrue(audit.contains("repository.bootstrap"), audit);
        assertTrue(audit.contains("\"DENIED\""), "refused logins are audited: " + audit);
        assertTrue(audit.contains("token.issue"), audit);
        String verification = Http.text(http.get("/portal/api/v1/audit/verification", admin));
        assertTrue(verification.contains("\"intact\":true") && !verification.contains("brokenSeq"), verification);
    }

    @Test
    void uploadedReleaseIsListedInItsBinAndServedUnderItsHashName() {
        byte[] image = randomBytes(64 * 1024);
        String path = "firmware/it/app-1.bin";

        HttpResponse<byte[]> created = upload(admin(), path, "1.0.0", image, "&hardwareId=gw-a&hardwareId=gw-b"
                + "&custom=%7B%22channel%22%3A%22stable%22%7D");

        assertEquals(201, created.statusCode(), Http.text(created));
        TargetFile listed = listedTarget(path).orElseThrow();
        assertEquals(image.length, listed.length());
        assertEquals(sha256(image), listed.hashes().get("sha256"));
        JsonValue.JsonObject custom = (JsonValue.JsonObject) listed.custom().orElseThrow();
        assertEquals(JsonValue.of("1.0.0"), custom.get("version"));
        assertEquals(JsonValue.of("stable"), custom.get("channel"));
        HttpResponse<byte[]> download = http.get("/targets/firmware/it/" + sha256(image) + ".app-1.bin");
        assertEquals(200, download.statusCode());
        assertArrayEquals(image, download.body());
        assertEquals("public, max-age=31536000, immutable", header(download, "Cache-Control"));
        HttpResponse<byte[]> head = http.head("/targets/firmware/it/" + sha256(image) + ".app-1.bin");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(image.length), header(head, "Content-Length"));
        assertEquals(header(download, "ETag"), header(head, "ETag"));
        // A device resumes an interrupted download (fleet.md): one range, exact bytes; past the end is 416.
        String name = "/targets/firmware/it/" + sha256(image) + ".app-1.bin";
        assertEquals("bytes", header(download, "Accept-Ranges"));
        HttpResponse<byte[]> rest = http.get(name, "Range", "bytes=40000-");
        assertEquals(206, rest.statusCode());
        assertEquals("bytes 40000-" + (image.length - 1) + "/" + image.length, header(rest, "Content-Range"));
        assertArrayEquals(java.util.Arrays.copyOfRange(image, 40000, image.length), rest.body());
        HttpResponse<byte[]> past = http.get(name, "Range", "bytes=" + image.length + "-");
        assertEquals(416, past.statusCode());
        assertEquals("bytes */" + image.length, header(past, "Content-Range"));
    }

    @Test
    void removedReleaseLeavesItsBinWhileOlderVersionsStayServed() {
        byte[] image = randomBytes(1024);
        String path = "firmware/it/withdrawn.bin";
        HttpResponse<byte[]> created = upload(admin(), path, "2.0", image, "");
        assertEquals(201, created.statusCode(), Http.text(created));
        long id = number(created, "id");
        String bin = binFor(path);
        long listedIn = currentVersion(bin);

        HttpResponse<byte[]> removed = http.send("DELETE", "/portal/api/v1/releases/" + id, admin());

        assertEquals(200, removed.statusCode(), Http.text(removed));
        assertTrue(listedTarget(path).isEmpty(), "a removed release is no longer listed");
        assertTrue(currentVersion(bin) > listedIn);
        assertEquals(200, http.get("/metadata/" + listedIn + "." + bin + ".json").statusCode(),
                "older versions stay served: clients holding older snapshots still verify");
        assertEquals(409, http.send("DELETE", "/portal/api/v1/releases/" + id, admin()).statusCode());
    }

    @Test
    void refusedRequestsLeaveTheServedRepositoryByteIdentical() throws IOException {
        String[] admin = admin();
        assertEquals(201, upload(admin, "firmware/it/taken.bin", "1", randomBytes(10), "").statusCode());
        byte[] before = http.get("/metadata/timestamp.json").body();
        byte[] duplicate = randomBytes(10);

        List<HttpResponse<byte[]>> refused = List.of(
                upload(admin, "firmware/it/huge.bin", "1", new byte[5 * 1024 * 1024], ""),
                upload(admin, "../escape.bin", "1", randomBytes(10), ""),
                upload(admin, "%2Fabsolute.bin", "1", randomBytes(10), ""),
                upload(admin, "firmware//empty-segment.bin", "1", randomBytes(10), ""),
                upload(admin, "", "1", randomBytes(10), ""),
                upload(admin, "firmware/it/taken.bin", "1", duplicate, ""),
                upload(admin, "firmware/it/bad-version.bin", "not a version", randomBytes(10), ""),
                upload(admin, "firmware/it/float.bin", "1", randomBytes(10), "&custom=%7B%22x%22%3A1.5%7D"),
                http.send("POST", "/portal/api/v1/releases?path=firmware/it/text.bin&version=1", admin,
                        "Content-Type", "text/plain"),
                upload(new String[0], "firmware/it/anonymous.bin", "1", randomBytes(10), ""),
                upload(Http.basic("admin", "wrong-password-000"), "firmware/it/wrong.bin", "1", randomBytes(10), ""));
        List<Integer> expected = List.of(413, 400, 400, 400, 400, 409, 400, 400, 415, 401, 401);

        for (int i = 0; i < refused.size(); i++) {
            HttpResponse<byte[]> r = refused.get(i);
            assertEquals(expected.get(i), r.statusCode(), i + ": " + Http.text(r));
            JsonValue.JsonObject body = (JsonValue.JsonObject) Json.parse(r.body(), "error " + i);
            assertTrue(body.has("code") && body.has("message"), Http.text(r));
        }
        assertArrayEquals(before, http.get("/metadata/timestamp.json").body());
        Path incoming = Path.of(System.getProperty("ota.data.dir"), "blobs", "incoming");
        try (var left = Files.list(incoming)) {
            assertEquals(0, left.count(), "no partial upload is left behind");
        }
        assertFalse(Files.exists(blobPath(duplicate)), "the refused duplicate's bytes are not kept");
    }

    @Test
    void anUploadWithoutContentLengthIsCutOffAtTheLimitWhileStreaming() throws IOException {
        String[] admin = admin();
        byte[] before = http.get("/metadata/timestamp.json").body();
        // The IT server's OTA_MAX_UPLOAD_BYTES is 4 MiB; chunked, so only counting while reading can refuse it.
        byte[] tooLarge = randomBytes(4 * 1024 * 1024 + 64 * 1024);
        byte[] fits = randomBytes(64 * 1024);

        HttpResponse<byte[]> refused = http.sendChunked("POST",
                "/portal/api/v1/releases?path=firmware/it/chunked-huge.bin&version=1", tooLarge, admin);
        HttpResponse<byte[]> accepted = http.sendChunked("POST",
                "/portal/api/v1/releases?path=firmware/it/chunked.bin&version=1", fits, admin);

        assertEquals(413, refused.statusCode(), Http.text(refused));
        assertTrue(Http.text(refused).contains("release.too-large"), Http.text(refused));
        assertFalse(Files.exists(blobPath(tooLarge)), "nothing of the refused upload is stored");
        assertEquals(201, accepted.statusCode(), Http.text(accepted));
        assertEquals(fits.length, listedTarget("firmware/it/chunked.bin").orElseThrow().length());
        assertTrue(listedTarget("firmware/it/chunked-huge.bin").isEmpty());
        assertFalse(java.util.Arrays.equals(before, http.get("/metadata/timestamp.json").body()),
                "the accepted upload was published");
    }

    @Test
    void aCustomIntegerOfThirtyDigitsOrKeysTufJsSortsDifferentlyAreRefusedAndNeverSigned() {
        String[] admin = admin();
        byte[] before = http.get("/metadata/timestamp.json").body();
        // {"build":123456789012345678901234567890} and {"Ａ":1,"😀":2}, URL-encoded.
        String thirtyDigits = "&custom=%7B%22build%22%3A123456789012345678901234567890%7D";
        String divergentKeys = "&custom=%7B%22%EF%BC%A1%22%3A1%2C%22%F0%9F%98%80%22%3A2%7D";

        for (String custom : List.of(thirtyDigits, divergentKeys)) {
            HttpResponse<byte[]> r = upload(admin, "firmware/it/not-portable.bin", "1", randomBytes(10), custom);

            assertEquals(400, r.statusCode(), Http.text(r));
            assertEquals("release.custom-not-portable", string(r, "code"), Http.text(r));
        }
        assertTrue(listedTarget("firmware/it/not-portable.bin").isEmpty(), "nothing a tuf-js client cannot verify is signed");
        assertArrayEquals(before, http.get("/metadata/timestamp.json").body());
        assertTrue(audited(admin, "admin", "release.upload", "FAILED", "release.custom-not-portable"));
        HttpResponse<byte[]> largestSafe = upload(admin, "firmware/it/safe-integer.bin", "1", randomBytes(10),
                "&custom=%7B%22build%22%3A9007199254740991%7D");
        assertEquals(201, largestSafe.statusCode(), Http.text(largestSafe));
    }

    @Test
    void twentyHardwareIdsOfHundredCharactersAreRefusedWith400NotA500() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            ids.append("&hardwareId=").append(String.format("%02d", i)).append("h".repeat(98));
        }

        HttpResponse<byte[]> r = upload(admin(), "firmware/it/many-hardware-ids.bin", "1", randomBytes(10), ids.toString());

        assertEquals(400, r.statusCode(), Http.text(r));
        assertEquals("release.invalid-hardware-id", string(r, "code"));
        assertTrue(string(r, "message").contains("at most 16 hardware ids"), Http.text(r));
        assertTrue(listedTarget("firmware/it/many-hardware-ids.bin").isEmpty());
    }

    @Test
    void anUploadPathOf1023EmojiPlusNulIsRefusedWith400AndAudited() {
        String[] admin = admin();
        String path = java.net.URLEncoder.encode("\ud83d\ude00".repeat(1023) + "\u0000",
                java.nio.charset.StandardCharsets.UTF_8);

        HttpResponse<byte[]> r = upload(admin, path, "1", randomBytes(10), "");

        assertEquals(400, r.statusCode(), Http.text(r));
        assertEquals("release.invalid-path", string(r, "code"));
        assertTrue(string(r, "message").contains("U+1F600 (GRINNING FACE) at position 0"), Http.text(r));
        assertTrue(audited(admin, "admin", "release.upload", "FAILED", "U+1F600 (GRINNING FACE) at position 0"),
                "the refusal is on the record, not lost with a cut surrogate pair or a NUL");
    }

    @Test
    void targetPathsWithEncodedTraversalMarkupUrlSyntaxOrInvisibleCharactersAreRefused() {
        String[] admin = admin();
        byte[] before = http.get("/metadata/timestamp.json").body();
        // As the server decodes them: %2e%2e/x.bin, <img src=x onerror=alert(1)>.bin, ?#%.bin, a U+200B and a
        // U+202E (which shows "firmware/it/<U+202E>nib.exe" as "firmware/it/exe.bin").
        List<String> encoded = List.of("%252e%252e%2Fx.bin", "firmware%2Fit%2F%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.bin",
                "firmware%2Fit%2F%3F%23%25.bin", "firmware%2Fit%2Fzero%E2%80%8Bwidth.bin", "firmware%2Fit%2F%E2%80%AEnib.exe");

        for (String path : encoded) {
            HttpResponse<byte[]> r = upload(admin, path, "1", randomBytes(10), "");

            assertEquals(400, r.statusCode(), path + ": " + Http.text(r));
            assertEquals("release.invalid-path", string(r, "code"), path);
            assertTrue(string(r, "message").contains("ASCII letters, digits"), Http.text(r));
        }
        assertArrayEquals(before, http.get("/metadata/timestamp.json").body());
    }

    @Test
    void aZeroWidthSpaceOrLetterCaseCopyOfAListedPathIsRefused() {
        String[] admin = admin();
        assertEquals(201, upload(admin, "firmware/it/Look-Alike.bin", "1", randomBytes(10), "").statusCode());

        HttpResponse<byte[]> zeroWidth = upload(admin, "firmware/it/Look-Alike%E2%80%8B.bin", "1", randomBytes(10), "");
        HttpResponse<byte[]> otherCase = upload(admin, "firmware/it/look-alike.bin", "1", randomBytes(10), "");

        assertEquals(400, zeroWidth.statusCode(), Http.text(zeroWidth));
        assertEquals("release.invalid-path", string(zeroWidth, "code"));
        assertEquals(409, otherCase.statusCode(), Http.text(otherCase));
        assertEquals("release.path-confusable", string(otherCase, "code"));
        assertTrue(string(otherCase, "message").contains("'firmware/it/Look-Alike.bin'"), Http.text(otherCase));
        assertTrue(listedTarget("firmware/it/look-alike.bin").isEmpty());
    }

    @Test
    void contentLengthMinusFiveStoresNothingAndLeavesNoSecondRequestOnTheConnection() throws IOException {
        String[] admin = admin();
        String path = "firmware/it/negative-length.bin";
        byte[] before = http.get("/metadata/timestamp.json").body();
        // The bytes after the headers are a request of their own: a server that took "-5" as "no body" would
        // store an empty release and then answer them as a second, pipelined request.
        String smuggled = "GET /portal/api/v1/releases HTTP/1.1\r\nHost: 127.0.0.1\r\n" + admin[0] + ": " + admin[1]
                + "\r\n\r\n";
        String answer;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1",
                Integer.parseInt(System.getProperty("ota.it.http.port", "9180")))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /portal/api/v1/releases?path=" + path + "&version=1 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n" + admin[0] + ": " + admin[1] + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: -5\r\n\r\n" + smuggled)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(received);
            } catch (java.net.SocketTimeoutException stillOpen) {
                // what arrived before the timeout is the answer; an open connection shows in the count below
            }
            answer = received.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("release.invalid-length"), answer);
        assertEquals(1, answer.split("HTTP/1\\.1 [0-9]{3}", -1).length - 1, "one answer, no second request: " + answer);
        assertTrue(listedTarget(path).isEmpty(), "no empty release was stored");
        assertArrayEquals(before, http.get("/metadata/timestamp.json").body());
        assertTrue(audited(admin, "admin", "release.upload", "FAILED", "release.invalid-length"));
    }

    @Test
    void removingAReleaseThatDoesNotExistIsRefusedAndAudited() {
        String[] admin = admin();
        long missing = 900_000_000_000L + System.nanoTime() % 1_000_000;

        HttpResponse<byte[]> r = http.send("DELETE", "/portal/api/v1/releases/" + missing, admin);

        assertEquals(404, r.statusCode(), Http.text(r));
        assertTrue(audited(admin, "admin", "release.remove", "FAILED", "release.not-found"),
                "probing for release ids is on the record");
    }

    private static Path blobPath(byte[] bytes) {
        String sha256 = sha256(bytes);
        return Path.of(System.getProperty("ota.data.dir"), "blobs", "sha256", sha256.substring(0, 2), sha256);
    }

    @Test
    void aCrashBeforeTheHeadMovesLeavesThePreviousStateServedAndTheNextPublishConsistent() throws IOException {
        String[] admin = admin();
        byte[] image = randomBytes(2048);
        String path = "firmware/it/crash.bin";
        byte[] timestampBefore = http.get("/metadata/timestamp.json").body();
        long snapshotBefore = Signed.parse(timestampBefore, Timestamp.class, "timestamp").signed().snapshotMeta().version();
        Path trigger = Path.of(System.getProperty("ota.data.dir"), "fault-injection");

        HttpResponse<byte[]> crashed;
        try {
            Files.writeString(trigger, "publish.before-head-move");
            crashed = upload(admin, path, "1", image, "");
        } finally {
            Files.deleteIfExists(trigger);
        }

        assertEquals(500, crashed.statusCode(), Http.text(crashed));
        assertArrayEquals(timestampBefore, http.get("/metadata/timestamp.json").body(), "previous state still served");
        assertEquals(404, http.get("/metadata/" + (snapshotBefore + 1) + ".snapshot.json").statusCode(),
                "no row of the crashed publish is visible");
        assertTrue(listedTarget(path).isEmpty());
        assertFalse(Files.exists(blobPath(image)), "the crashed upload's bytes left the store with its transaction");
        HttpResponse<byte[]> retried = upload(admin, path, "1", image, "");
        assertEquals(201, retried.statusCode(), Http.text(retried));
        assertEquals(image.length, listedTarget(path).orElseThrow().length(), "the next publish verifies end to end");
    }

    @Test
    void signedMetadataTargetFilesAndTheAuditLogRefuseUpdatesAndDeletesOnPostgresql() throws SQLException {
        Assumptions.assumeTrue("postgresql".equals(System.getenv("OTA_DB")),
                "H2 runs no triggers here: see h2/V4__append_only_tables.sql");
        assertEquals(201, upload(admin(), "firmware/it/append-only.bin", "1", randomBytes(64), "").statusCode());
        byte[] timestamp = http.get("/metadata/timestamp.json").body();

        try (Connection c = DriverManager.getConnection(System.getenv("OTA_DB_URL"), System.getenv("OTA_DB_USER"),
                System.getenv("OTA_DB_PASSWORD")); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "UPDATE signed_metadata SET content = content || 'x'::bytea WHERE role_name = 'timestamp'",
                    "DELETE FROM signed_metadata WHERE role_name = 'timestamp'",
                    "TRUNCATE signed_metadata CASCADE",
                    "UPDATE target_file SET length = 0",
                    "DELETE FROM target_file",
                    "UPDATE audit_entry SET detail = 'rewritten'",
                    "DELETE FROM audit_entry",
                    "TRUNCATE audit_entry")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
                assertTrue(refused.getMessage().contains("is append-only"), sql + ": " + refused.getMessage());
            }
        }
        assertArrayEquals(timestamp, http.get("/metadata/timestamp.json").body());
        assertEquals(201, upload(admin(), "firmware/it/append-only-2.bin", "1", randomBytes(64), "").statusCode(),
                "inserts, which is all the server does to these tables, still work");
    }

    @Test
    void aRoleWithoutReleaseRightsCannotUpload() {
        String[] admin = admin();
        String name = "audit-" + System.nanoTime() % 100000;
        String[] auditor = changeOneTimePassword(name, createAccount(admin, name, "auditor"));
        byte[] before = http.get("/metadata/timestamp.json").body();

        HttpResponse<byte[]> r = upload(auditor, "firmware/it/by-auditor.bin", "1", randomBytes(10), "");

        assertEquals(403, r.statusCode(), Http.text(r));
        assertTrue(Http.text(r).contains("auth.forbidden"));
        assertArrayEquals(before, http.get("/metadata/timestamp.json").body());
        assertTrue(audited(admin, name, "auth.forbidden", "DENIED"), "the refusal is audited under the caller's name");
    }

    @Test
    void apiTokensExpireCanBeListedAndRevokedAndNeverIssueMoreTokens() {
        String[] admin = admin();
        String owner = "ci-" + System.nanoTime() % 100000;
        String other = "other-" + System.nanoTime() % 100000;
        String[] ownerPassword = changeOneTimePassword(owner, createAccount(admin, owner, "release-manager"));
        String[] otherPassword = changeOneTimePassword(other, createAccount(admin, other, "release-manager"));

        HttpResponse<byte[]> tooLong = http.postJson("/portal/api/v1/tokens",
                "{\"label\":\"forever\",\"validityDays\":400}", ownerPassword);
        assertEquals(400, tooLong.statusCode(), Http.text(tooLong));
        assertTrue(Http.text(tooLong).contains("token.invalid-validity"));
        HttpResponse<byte[]> issued = http.postJson("/portal/api/v1/tokens", "{\"label\":\"pipeline\"}", ownerPassword);
        assertEquals(201, issued.statusCode(), Http.text(issued));
        String secret = string(issued, "token");
        long id = number(issued, "id");
        java.time.Instant expires = java.time.Instant.parse(string(issued, "expiresAt"));
        // The server's time, which other ITs may have moved ahead (ServerClock), not this JVM's.
        assertTrue(Math.abs(java.time.Duration.between(new ServerClock().clock().instant().plus(java.time.Duration.ofDays(90)),
                expires).toMinutes()) < 60, "expires in 90 days by default: " + expires);
        String[] bearer = Http.bearer(secret);

        HttpResponse<byte[]> minted = http.postJson("/portal/api/v1/tokens", "{\"label\":\"successor\"}", bearer);
        assertEquals(403, minted.statusCode(), Http.text(minted));
        assertTrue(Http.text(minted).contains("token.password-required"));
        String listed = Http.text(http.get("/portal/api/v1/tokens", bearer));
        assertTrue(listed.contains("\"id\":" + id) && listed.contains("\"state\":\"ACTIVE\""), listed);
        assertFalse(listed.contains(secret), "a list never shows a secret");
        assertFalse(Http.text(http.get("/portal/api/v1/tokens", otherPassword)).contains("\"id\":" + id + ","),
                "another account does not see the token");
        assertTrue(Http.text(http.get("/portal/api/v1/tokens", admin)).contains("\"owner\":\"" + owner + "\""),
                "an administrator sees every account's tokens");
        assertEquals(404, http.send("DELETE", "/portal/api/v1/tokens/" + id, otherPassword).statusCode());
        assertEquals(200, http.get("/portal/api/v1/account", bearer).statusCode(), "still valid");
        assertEquals(201, upload(bearer, "firmware/it/by-token-" + id + ".bin", "1", randomBytes(16), "").statusCode());
        assertTrue(audited(admin, owner, "release.upload", "SUCCESS", "via API token " + id),
                "what a token did is told from what its owner did");

        HttpResponse<byte[]> revoked = http.send("DELETE", "/portal/api/v1/tokens/" + id, ownerPassword);

        assertEquals(200, revoked.statusCode(), Http.text(revoked));
        assertTrue(Http.text(revoked).contains("\"state\":\"REVOKED\""), Http.text(revoked));
        assertEquals(401, http.get("/portal/api/v1/account", bearer).statusCode(), "a revoked token opens nothing");
        assertEquals(409, http.send("DELETE", "/portal/api/v1/tokens/" + id, ownerPassword).statusCode());
        assertTrue(audited(admin, owner, "token.issue", "DENIED", "via API token " + id),
                "the token's attempt to issue a token");
        assertTrue(audited(admin, owner, "token.revoke", "SUCCESS"));
        assertTrue(audited(admin, other, "token.revoke", "DENIED"), "another account's attempt to revoke it");
    }

    @Test
    void portalSignInShowsTheRepositoryStatusAndRefusesWrongPasswords() {
        admin();
        PortalSession anonymous = new PortalSession();
        HttpResponse<String> protectedPage = anonymous.get("/portal/app/status.xhtml");
        assertEquals(302, protectedPage.statusCode());
        assertTrue(protectedPage.headers().firstValue("Location").orElse("").endsWith("/portal/login.xhtml"));

        HttpResponse<String> refused = anonymous.signIn("admin", "not-the-password");
        assertEquals(200, refused.statusCode());
        assertTrue(refused.body().contains("The user name or password is not correct."), refused.body());

        PortalSession person = new PortalSession();
        HttpResponse<String> signedIn = person.signIn("admin", ADMIN_PASSWORD);
        assertEquals(302, signedIn.statusCode(), signedIn.body());
        HttpResponse<String> status = person.get("/portal/app/status.xhtml");
        assertEquals(200, status.statusCode());
        for (String expected : List.of("timestamp", "snapshot", "releases-*", "256 hash bins", "Expires in")) {
            assertTrue(status.body().contains(expected), expected + " missing on the status page");
        }
        assertTrue(person.get("/portal/app/releases.xhtml").body().contains("Upload a release"));
    }

    @Test
    void portalHidesTheUploadFormFromAnAuditor() {
        String name = "portal-audit-" + System.nanoTime() % 100000;
        changeOneTimePassword(name, createAccount(admin(), name, "auditor"));
        PortalSession auditor = new PortalSession();

        assertEquals(302, auditor.signIn(name, name + "-password-0123").statusCode());
        HttpResponse<String> releases = auditor.get("/portal/app/releases.xhtml");

        assertEquals(200, releases.statusCode());
        assertTrue(releases.body().contains("Target path"), "the list is shown");
        assertTrue(!releases.body().contains("Upload a release"), "no upload form without the role");
    }

    private String[] admin() {
        return ItAccounts.admin(http);
    }

    private String[] changeOneTimePassword(String user, String oneTime) {
        return ItAccounts.changeOneTimePassword(http, user, oneTime, user + "-password-0123");
    }

    private String createAccount(String[] admin, String user, String role) {
        return ItAccounts.createAccount(http, admin, user, role);
    }

    private HttpResponse<byte[]> upload(String[] credentials, String path, String version, byte[] body, String more) {
        return http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version="
                + version.replace(" ", "%20") + more, body, credentials);
    }

    /** The target as a TUF client finds it, refreshing from the version-1 root. */
    private java.util.Optional<TargetFile> listedTarget(String path) {
        TrustedMetadataSet trusted = new TrustedMetadataSet(http.get("/metadata/1.root.json").body(), Instant.now());
        trusted.updateTimestamp(http.get("/metadata/timestamp.json").body());
        long sv = trusted.timestamp().orElseThrow().signed().snapshotMeta().version();
        Signed<Snapshot> snapshot = trusted.updateSnapshot(http.get("/metadata/" + sv + ".snapshot.json").body(), false);
        trusted.updateTargets(http.get("/metadata/" + snapshot.signed().metaFor("targets").version()
                + ".targets.json").body());
        String bin = binFor(path);
        Signed<Targets> binTargets = trusted.updateDelegatedTargets(http.get("/metadata/"
                + snapshot.signed().metaFor(bin).version() + "." + bin + ".json").body(), bin, "targets");
        return java.util.Optional.ofNullable(binTargets.signed().targets().get(path));
    }

    /**
     * Whether one of the newest audit entries of {@code action} (filtered by the server: the newest of all entries
     * can be other work's) records {@code actor} doing it with that outcome.
     */
    private boolean audited(String[] admin, String actor, String action, String outcome) {
        return audited(admin, actor, action, outcome, "");
    }

    /** The same, and its detail contains {@code detailPart}. */
    private boolean audited(String[] admin, String actor, String action, String outcome, String detailPart) {
        JsonValue.JsonArray entries = (JsonValue.JsonArray) Json.parse(
                http.get("/portal/api/v1/audit?limit=200&action=" + java.net.URLEncoder.encode(action,
                        java.nio.charset.StandardCharsets.UTF_8), admin).body(), "audit");
        return entries.elements().stream().map(JsonValue.JsonObject.class::cast).anyMatch(e ->
                JsonValue.of(actor).equals(e.get("actor")) && JsonValue.of(action).equals(e.get("action"))
                        && JsonValue.of(outcome).equals(e.get("outcome"))
                        && e.get("detail") instanceof JsonValue.JsonString d && d.value().contains(detailPart));
    }

    private String binFor(String path) {
        Signed<Targets> targets = Signed.parse(http.get("/metadata/targets.json").body(), Targets.class, "targets");
        return targets.signed().delegations().orElseThrow().succinctRoles().orElseThrow().roleNameFor(path);
    }

    private long currentVersion(String role) {
        return Signed.parse(http.get("/metadata/" + role + ".json").body(), Targets.class, role).signed().version();
    }

    private static String string(HttpResponse<byte[]> r, String field) {
        return ((JsonValue.JsonString) ((JsonValue.JsonObject) Json.parse(r.body(), field)).get(field)).value();
    }

    private static long number(HttpResponse<byte[]> r, String field) {
        return ((JsonValue.JsonNumber) ((JsonValue.JsonObject) Json.parse(r.body(), field)).get(field)).value()
                .longValueExact();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static String header(HttpResponse<byte[]> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
