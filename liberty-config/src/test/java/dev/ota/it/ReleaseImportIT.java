package dev.ota.it;

import dev.ota.tuf.testing.TestTar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.client.Updater;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk import of a tar archive through the management API, against the real EAR: what one import
 * publishes is found by a TUF client in the right bins and downloads; a bad entry anywhere leaves
 * the served repository byte-identical and the blob store without anything new.
 */
@ExtendWith(ArquillianExtension.class)
class ReleaseImportIT {
    private static final String IMPORT = "/portal/api/v1/releases/import";
    private static final String MANIFEST = ".ota-manifest.ndjson";

    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("ota.ear.file"));
        assertTrue(ear.isFile(), "the EAR must be built before the ITs: " + ear);
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
    }

    @Test
    void importedReleasesAreFoundInTheirBinsByATufClientAndDownload(@TempDir Path client) throws IOException {
        // Arrange: 40 files spread over the bins, one with a path longer than ustar holds, and a
        // manifest giving two of them their own version, hardware ids and custom fields.
        String run = "import-" + System.nanoTime();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            files.put("catalogue/" + run + "/model-" + (i % 4) + "/image-" + i + ".bin", random(100 + i * 37));
        }
        String longPath = "catalogue/" + run + "/" + "deep-directory-".repeat(8) + "/image.bin";
        files.put(longPath, random(5000));
        List<String> paths = new ArrayList<>(files.keySet());
        String manifest = "{\"path\":\"" + paths.get(3) + "\",\"version\":\"2.1.0\",\"hardwareIds\":[\"gw-a\",\"gw-b\"],"
                + "\"custom\":{\"channel\":\"beta\"}}\n"
                + "{\"path\":\"" + longPath + "\",\"version\":\"3.0\"}\n";
        TestTar tar = new TestTar().file(MANIFEST, manifest);
        files.forEach(tar::file);
        int auditBefore = auditCount("release.import");

        // Act
        HttpResponse<byte[]> imported = importArchive(tar.bytes(), "?version=1.0&hardwareId=gw-a");

        // Assert: one publish, then a TUF client refreshing from the version-1 root finds each
        // target through the hash-bin delegation and downloads the exact bytes.
        assertEquals(200, imported.statusCode(), Http.text(imported));
        assertEquals(files.size(), number(imported, "imported"));
        assertEquals(auditBefore + 1, auditCount("release.import"), "one audit record for the whole import");
        String base = ItImageRepository.base();
        Updater updater = ItImageRepository.refreshed(http, client);
        Path downloads = Files.createDirectories(client.resolve("targets"));
        Set<String> bins = new HashSet<>();
        SuccinctRoles succinct = Signed.parse(http.get("/metadata/targets.json").body(), Targets.class, "targets")
                .signed().delegations().orElseThrow().succinctRoles().orElseThrow();
        for (String path : paths) {
            TargetFile found = updater.findTarget(path);
            assertEquals(files.get(path).length, found.length(), path);
            Path file = updater.downloadTarget(path, found, URI.create(base + "/targets/"), downloads);
            assertArrayEquals(files.get(path), Files.readAllBytes(file), path);
            String bin = succinct.roleNameFor(path);
            bins.add(bin);
            assertTrue(Signed.parse(http.get("/metadata/" + bin + ".json").body(), Targets.class, bin).signed()
                    .targets().containsKey(path), path + " is listed in its bin " + bin);
        }
        assertTrue(bins.size() > 20, "the files landed in many bins: " + bins.size());
        JsonValue.JsonObject described = (JsonValue.JsonObject) updater.findTarget(paths.get(3)).custom().orElseThrow();
        assertEquals(JsonValue.of("2.1.0"), described.get("version"));
        assertEquals(JsonValue.of("beta"), described.get("channel"));
        assertEquals(2, ((JsonValue.JsonArray) described.get("hardwareIds")).elements().size());
        JsonValue.JsonObject defaulted = (JsonValue.JsonObject) updater.findTarget(paths.get(0)).custom().orElseThrow();
        assertEquals(JsonValue.of("1.0"), defaulted.get("version"));
        assertEquals(JsonValue.of("3.0"),
                ((JsonValue.JsonObject) updater.findTarget(longPath).custom().orElseThrow()).get("version"));
    }

    @Test
    void aBadEntryInTheMiddleRefusesTheWholeArchiveNamingIt() throws IOException {
        String run = "bad-" + System.nanoTime();
        String[] admin = ItAccounts.admin(http);
        String taken = "catalogue/" + run + "/taken.bin";
        assertEquals(201, http.sendBytes("POST", "/portal/api/v1/releases?path=" + taken + "&version=1", random(10),
                admin).statusCode());
        Map<String, JsonValue> listing = ItImageRepository.listing(http);
        Set<String> blobs = blobs();

        record Case(String what, byte[] archive, int status, String code, String named) {
        }
        List<Case> cases = List.of(
                new Case("traversal", good(run, 2).file("catalogue/../../escape.bin", random(10)).file(run + "/z.bin",
                        random(10)).bytes(), 400, "release.invalid-path", "entry 3 (catalogue/../../escape.bin)"),
                new Case("absolute", good(run, 2).file("/etc/absolute.bin", random(10)).bytes(), 400,
                        "release.invalid-path", "entry 3 (/etc/absolute.bin)"),
                new Case("empty name", good(run, 2).file("", random(10)).bytes(), 400, "release.invalid-path", "entry 3"),
                new Case("twice", good(run, 2).file("catalogue/" + run + "/0.bin", random(10)).bytes(), 400,
                        "release.duplicate", "entry 3 (catalogue/" + run + "/0.bin)"),
                new Case("listed", good(run, 2).file(taken, random(10)).bytes(), 409, "release.duplicate",
                        "entry 3 (" + taken + ")"),
                new Case("symlink", good(run, 2).symlink("catalogue/" + run + "/link.bin").bytes(), 400,
                        "release.import-entry-type", "entry 3 (catalogue/" + run + "/link.bin) is a symbolic link"),
                new Case("truncated", good(run, 3).withoutEnd(), 400, "release.import-malformed", "end-of-archive"),
                new Case("bad manifest", new TestTar().file(MANIFEST, "{\"path\":\"x.bin\",\"versoin\":\"1\"}\n")
                        .file("x.bin", random(10)).bytes(), 400, "release.import-manifest", "versoin"),
                new Case("bad version", new TestTar().file(MANIFEST, "{\"path\":\"catalogue/" + run + "/1.bin\","
                        + "\"version\":\"not a version\"}\n").file("catalogue/" + run + "/0.bin", random(10))
                        .file("catalogue/" + run + "/1.bin", random(10)).bytes(), 400, "release.invalid-version",
                        "entry 3 (catalogue/" + run + "/1.bin)"));

        for (Case c : cases) {
            HttpResponse<byte[]> r = importArchive(c.archive(), "?version=1");

            assertEquals(c.status(), r.statusCode(), c.what() + ": " + Http.text(r));
            JsonValue.JsonObject body = (JsonValue.JsonObject) Json.parse(r.body(), c.what());
            assertEquals(JsonValue.of(c.code()), body.get("code"), c.what() + ": " + Http.text(r));
            assertTrue(((JsonValue.JsonString) body.get("message")).value().contains(c.named()),
                    c.what() + ": " + Http.text(r));
        }
        assertEquals(listing, ItImageRepository.listing(http), "the served repository is unchanged");
        assertEquals(blobs, blobs(), "no blob of a refused archive is stored");
        assertEquals(Set.of(), incoming(), "nothing staged is left behind");
    }

    @Test
    void aManifestWithThreeThousandHardwareIdsIsRefusedWith400NotA500() throws IOException {
        String run = "ids-" + System.nanoTime();
        String path = "catalogue/" + run + "/a.bin";
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            ids.append(i == 0 ? "" : ",").append("\"hw-").append(i).append('"');
        }
        Map<String, JsonValue> listing = ItImageRepository.listing(http);
        Set<String> blobs = blobs();
        int refusalsBefore = auditCount("release.import");

        HttpResponse<byte[]> r = importArchive(new TestTar().file(MANIFEST, "{\"path\":\"" + path + "\",\"hardwareIds\":["
                + ids + "]}\n").file(path, random(10)).bytes(), "?version=1");

        assertEquals(400, r.statusCode(), Http.text(r));
        assertEquals(JsonValue.of("release.invalid-hardware-id"), ((JsonValue.JsonObject) Json.parse(r.body(), "error"))
                .get("code"), Http.text(r));
        assertTrue(Http.text(r).contains("entry 2 (" + path + "): a release names at most 16 hardware ids"), Http.text(r));
        assertEquals(listing, ItImageRepository.listing(http));
        assertEquals(blobs, blobs());
        assertEquals(Set.of(), incoming());
        assertEquals(refusalsBefore + 1, auditCount("release.import"), "the refused import is audited");
    }

    @Test
    void aManifestCustomOfThirtyDigitsOrAnEntryNamedWithAZeroWidthSpaceOrAnotherCaseIsRefused() throws IOException {
        String run = "portable-" + System.nanoTime();
        String[] admin = ItAccounts.admin(http);
        String listed = "catalogue/" + run + "/Listed.bin";
        assertEquals(201, http.sendBytes("POST", "/portal/api/v1/releases?path=" + listed + "&version=1", random(10),
                admin).statusCode());
        Map<String, JsonValue> listing = ItImageRepository.listing(http);
        Set<String> blobs = blobs();

        record Case(String what, byte[] archive, int status, String code) {
        }
        String a = "catalogue/" + run + "/a.bin";
        List<Case> cases = List.of(
                new Case("thirty digits", new TestTar().file(MANIFEST, "{\"path\":\"" + a + "\",\"custom\":{\"build\":"
                        + "123456789012345678901234567890}}\n").file(a, random(10)).bytes(), 400,
                        "release.custom-not-portable"),
                new Case("zero width space", good(run, 1).file("catalogue/" + run + "/a\u200b.bin", random(10)).bytes(),
                        400, "release.invalid-path"),
                new Case("right-to-left override", good(run, 1).file("catalogue/" + run + "/\u202enib.exe", random(10))
                        .bytes(), 400, "release.invalid-path"),
                new Case("case of a listed path", good(run, 1).file(listed.toLowerCase(java.util.Locale.ROOT),
                        random(10)).bytes(), 409, "release.path-confusable"),
                new Case("case within the archive", good(run, 1).file(a, random(10)).file(a.toUpperCase(
                        java.util.Locale.ROOT), random(10)).bytes(), 400, "release.path-confusable"));

        for (Case c : cases) {
            HttpResponse<byte[]> r = importArchive(c.archive(), "?version=1");

            assertEquals(c.status(), r.statusCode(), c.what() + ": " + Http.text(r));
            assertEquals(JsonValue.of(c.code()), ((JsonValue.JsonObject) Json.parse(r.body(), c.what())).get("code"),
                    c.what() + ": " + Http.text(r));
            String message = ((JsonValue.JsonString) ((JsonValue.JsonObject) Json.parse(r.body(), c.what()))
                    .get("message")).value();
            assertTrue(message.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f), "shown escaped: " + message);
        }
        assertEquals(listing, ItImageRepository.listing(http), "the served repository is unchanged");
        assertEquals(blobs, blobs());
        assertEquals(Set.of(), incoming());
    }

    @Test
    void anEntryOverTheSizeCapIsRefusedWith413AndNothingIsStored() throws IOException {
        String run = "huge-" + System.nanoTime();
        Map<String, JsonValue> listing = ItImageRepository.listing(http);
        Set<String> blobs = blobs();
        // OTA_MAX_UPLOAD_BYTES is 4 MiB on the IT server.
        byte[] archive = good(run, 2).file("catalogue/" + run + "/huge.bin", new byte[4 * 1024 * 1024 + 1])
                .file("catalogue/" + run + "/after.bin", random(10)).bytes();

        HttpResponse<byte[]> r = importArchive(archive, "?version=1");

        assertEquals(413, r.statusCode(), Http.text(r));
        assertTrue(Http.text(r).contains("release.too-large") && Http.text(r).contains("entry 3 (catalogue/" + run
                + "/huge.bin)"), Http.text(r));
        assertEquals(listing, ItImageRepository.listing(http));
        assertEquals(blobs, blobs());
        assertEquals(Set.of(), incoming());
    }

    @Test
    void aCrashAfterTheBlobsArePlacedTakesThemAwayAgain() throws IOException {
        String run = "crash-" + System.nanoTime();
        Map<String, JsonValue> listing = ItImageRepository.listing(http);
        Set<String> blobs = blobs();
        Path trigger = Path.of(System.getProperty("ota.data.dir"), "fault-injection");

        HttpResponse<byte[]> crashed;
        try {
            Files.writeString(trigger, "import.after-blobs-placed");
            crashed = importArchive(good(run, 5).bytes(), "?version=1");
        } finally {
            Files.deleteIfExists(trigger);
        }

        assertEquals(500, crashed.statusCode(), Http.text(crashed));
        assertEquals(listing, ItImageRepository.listing(http));
        assertEquals(blobs, blobs(), "the blobs the rolled-back import placed are deleted");
        HttpResponse<byte[]> retried = importArchive(good(run, 5).bytes(), "?version=1");
        assertEquals(200, retried.statusCode(), Http.text(retried));
    }

    @Test
    void aRoleWithoutReleaseRightsCannotImport() {
        String name = "import-auditor-" + System.nanoTime() % 100000;
        String[] auditor = ItAccounts.changeOneTimePassword(http, name,
                ItAccounts.createAccount(http, ItAccounts.admin(http), name, "auditor"), name + "-password-0123");
        Map<String, JsonValue> listing = ItImageRepository.listing(http);

        HttpResponse<byte[]> r = http.sendBytes("POST", IMPORT + "?version=1", "application/x-tar",
                good("auditor", 1).bytes(), auditor);

        assertEquals(403, r.statusCode(), Http.text(r));
        assertEquals(listing, ItImageRepository.listing(http));
    }

    /** An archive of {@code n} good files, the first entries of every refused archive above. */
    private static TestTar good(String run, int n) {
        TestTar tar = new TestTar();
        for (int i = 0; i < n; i++) {
            tar.file("catalogue/" + run + "/" + i + ".bin", ("file " + i + " of " + run).getBytes(StandardCharsets.UTF_8));
        }
        return tar;
    }

    private HttpResponse<byte[]> importArchive(byte[] archive, String query) {
        return http.sendBytes("POST", IMPORT + query, "application/x-tar", archive, ItAccounts.admin(http));
    }

    /**
     * The entries of {@code action}, filtered by the server: counted among the newest of all entries, a count taken
     * before and after could differ by one of them leaving the window as others came in.
     */
    private int auditCount(String action) {
        String audit = Http.text(http.get("/portal/api/v1/audit?limit=1000&action=" + action,
                ItAccounts.admin(http)));
        int count = 0;
        for (int i = audit.indexOf("\"" + action + "\""); i >= 0; i = audit.indexOf("\"" + action + "\"", i + 1)) {
            count++;
        }
        return count;
    }

    private static Set<String> blobs() throws IOException {
        return files(Path.of(System.getProperty("ota.data.dir"), "blobs", "sha256"));
    }

    private static Set<String> incoming() throws IOException {
        return files(Path.of(System.getProperty("ota.data.dir"), "blobs", "incoming"));
    }

    private static Set<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return new HashSet<>(s.filter(Files::isRegularFile).map(Path::toString).toList());
        }
    }

    private static long number(HttpResponse<byte[]> r, String field) {
        return ((JsonValue.JsonNumber) ((JsonValue.JsonObject) Json.parse(r.body(), field)).get(field)).value()
                .longValueExact();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }
}
