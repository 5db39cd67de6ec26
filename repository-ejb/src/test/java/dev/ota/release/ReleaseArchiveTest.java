package dev.ota.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.repository.RepositoryFailure;
import dev.ota.serving.BlobStore;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.testing.TestTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseArchiveTest {
    private static final ReleaseArchive.Description DEFAULTS = new ReleaseArchive.Description("1.0", List.of("gw-a"), null);

    @TempDir
    Path dir;

    private BlobStore blobs() {
        return new BlobStore(dir.resolve("sha256"), dir.resolve("incoming"));
    }

    private List<ReleaseArchive.Entry> read(byte[] archive) {
        return ReleaseArchive.read(new ByteArrayInputStream(archive), DEFAULTS, blobs(), 1000, 10);
    }

    private RepositoryFailure refused(byte[] archive) {
        return assertThrows(RepositoryFailure.class, () -> read(archive));
    }

    private long staged() throws IOException {
        Path incoming = dir.resolve("incoming");
        if (!Files.isDirectory(incoming)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(incoming)) {
            return s.count();
        }
    }

    @Test
    void stagesEveryFileWithItsHashLengthAndTheDefaultsOrItsManifestLine() throws IOException {
        byte[] archive = new TestTar().directory("./")
                .file("./.ota-manifest.ndjson", "{\"path\":\"fw/b.bin\",\"version\":\"2.0\",\"hardwareIds\":[],"
                        + "\"custom\":{\"channel\":\"beta\"}}\n\n")
                .directory("./fw/").file("./fw/a.bin", "alpha").file("./fw/b.bin", "beta").bytes();

        List<ReleaseArchive.Entry> entries = read(archive);

        assertEquals(List.of("fw/a.bin", "fw/b.bin"), entries.stream().map(ReleaseArchive.Entry::path).toList());
        ReleaseArchive.Entry a = entries.get(0);
        assertEquals("1.0", a.version());
        assertEquals(List.of("gw-a"), a.hardwareIds());
        assertEquals(5, a.staged().blob().length());
        assertEquals("8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8", a.staged().blob().sha256());
        assertEquals("alpha", Files.readString(a.staged().file()));
        ReleaseArchive.Entry b = entries.get(1);
        assertEquals("2.0", b.version());
        assertEquals(List.of(), b.hardwareIds());
        assertEquals(JsonValue.of("beta"), b.custom().get("channel"));
        assertEquals(2, staged(), "staged, not yet in the store");
    }

    @Test
    void aManifestLineMayGiveAReleaseCounterAndFilesWithoutOneLeaveItToTheServer() throws IOException {
        byte[] archive = new TestTar()
                .file(".ota-manifest.ndjson", "{\"path\":\"fw/b.bin\",\"releaseCounter\":7}\n"
                        + "{\"path\":\"fw/c.bin\",\"custom\":{\"releaseCounter\":9,\"channel\":\"beta\"}}\n")
                .file("fw/a.bin", "alpha").file("fw/b.bin", "beta").file("fw/c.bin", "gamma").bytes();

        List<ReleaseArchive.Entry> entries = read(archive);

        assertEquals(java.util.OptionalLong.empty(), entries.get(0).releaseCounter());
        assertEquals(java.util.OptionalLong.of(7), entries.get(1).releaseCounter());
        assertEquals(java.util.OptionalLong.of(9), entries.get(2).releaseCounter());
        assertEquals("{\"channel\":\"beta\"}", entries.get(2).customJson());
        ReleaseArchive.discard(entries);
        RepositoryFailure f = refused(new TestTar().file(".ota-manifest.ndjson",
                "{\"path\":\"fw/a.bin\",\"releaseCounter\":\"7\"}\n").file("fw/a.bin", "alpha").bytes());
        assertEquals("release.import-manifest", f.code());
        assertEquals(0, staged());
    }

    @Test
    void namesTheEntryAtFaultAndLeavesNothingStaged() throws IOException {
        List<byte[]> bad = List.of(
                new TestTar().file("a.bin", "a").file("b/../../c.bin", "c").file("d.bin", "d").bytes(),
                new TestTar().file("a.bin", "a").file("/abs.bin", "c").bytes(),
                new TestTar().file("a.bin", "a").file("", "c").bytes(),
                new TestTar().file("a.bin", "a").file("a.bin", "again").bytes(),
                new TestTar().file("a.bin", "a").symlink("link.bin").bytes(),
                new TestTar().file("a.bin", "a").file(".ota-manifest.ndjson", "").bytes());
        List<String> expected = List.of("entry 2 (b/../../c.bin)", "entry 2 (/abs.bin)", "entry 2 ()",
                "entry 2 (a.bin)", "entry 2 (link.bin)", "entry 2 (.ota-manifest.ndjson)");

        for (int i = 0; i < bad.size(); i++) {
            RepositoryFailure f = refused(bad.get(i));

            assertEquals(ErrorKind.INVALID_INPUT, f.kind(), f.getMessage());
            assertTrue(f.getMessage().startsWith(expected.get(i)), f.getMessage());
            assertEquals(0, staged(), "case " + i);
        }
    }

    @Test
    void refusesAFileOverTheCapFromItsHeaderWith413() throws IOException {
        RepositoryFailure f = refused(new TestTar().file("a.bin", "a").file("big.bin", new byte[1001]).bytes());

        assertEquals(ErrorKind.TOO_LARGE, f.kind());
        assertTrue(f.getMessage().startsWith("entry 2 (big.bin)"), f.getMessage());
        assertEquals(0, staged());
    }

    @Test
    void refusesMoreFilesThanAllowed() {
        TestTar tar = new TestTar();
        for (int i = 0; i < 11; i++) {
            tar.file("f" + i + ".bin", "x" + i);
        }

        RepositoryFailure f = refused(tar.bytes());

        assertEquals(ErrorKind.TOO_LARGE, f.kind());
        assertTrue(f.getMessage().startsWith("entry 11 (f10.bin)"), f.getMessage());
    }

    @Test
    void refusesTruncatedAndCorruptArchivesAfterStagingPartOfThem() throws IOException {
        byte[] full = new TestTar().file("a.bin", new byte[600]).file("b.bin", new byte[700]).bytes();
        byte[] corrupt = full.clone();
        corrupt[1536 + 10] ^= 0x20; // the second header's name

        for (byte[] archive : List.of(Arrays.copyOf(full, 1536 + 512 + 1024), Arrays.copyOf(full, 1536 + 512 + 100),
                Arrays.copyOf(full, 1536 + 200), Arrays.copyOf(full, full.length - 512), corrupt)) {
            RepositoryFailure f = refused(archive);

            assertEquals(ErrorKind.INVALID_INPUT, f.kind(), f.getMessage());
            assertEquals(0, staged(), f.getMessage());
        }
    }

    @Test
    void refusesManifestsThatAreNotWhatTheyClaim() {
        List<String> manifests = List.of("not json\n", "[1]\n", "{\"version\":\"1\"}\n",
                "{\"path\":\"a.bin\",\"versoin\":\"1\"}\n", "{\"path\":\"a.bin\",\"custom\":{\"x\":1.5}}\n",
                "{\"path\":\"a.bin\",\"hardwareIds\":\"gw\"}\n", "{\"path\":\"a.bin\"}\n{\"path\":\"a.bin\"}\n",
                "{\"path\":\"missing.bin\"}\n", "{\"path\":\"a.bin\"", "{\"path\":\"a.bin\",\"version\":\"bad version\"}");

        for (String m : manifests) {
            RepositoryFailure f = refused(new TestTar().file(".ota-manifest.ndjson", m).file("a.bin", "a").bytes());

            assertEquals(ErrorKind.INVALID_INPUT, f.kind(), m);
        }
    }

    @Test
    void refusesAnArchiveWithoutFiles() {
        RepositoryFailure f = refused(new TestTar().directory("./").bytes());

        assertEquals("release.import-empty", f.code());
    }

    @Test
    void readsAManifestLineByLineWithLongPaxPathsAndUtf8Fields() {
        String path = "fw/" + "long-directory-name-".repeat(8) + "/image.bin";
        byte[] archive = new TestTar().file(".ota-manifest.ndjson", ("{\"path\":\"" + path + "\",\"version\":\"3\","
                + "\"custom\":{\"note\":\"ünïcode\\nline\"}}").getBytes(StandardCharsets.UTF_8))
                .paxFile(path, "u".getBytes(StandardCharsets.UTF_8)).bytes();

        ReleaseArchive.Entry entry = read(archive).get(0);

        assertEquals("3", entry.version());
        assertEquals(JsonValue.of("ünïcode\nline"), entry.custom().get("note"));
        assertEquals("{\"note\":\"ünïcode\\nline\"}", entry.customJson(), "kept parsable, control characters escaped");
    }

    @Test
    void manifestWithThreeThousandHardwareIdsIsRefusedBeforeTheDatabase() throws IOException {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append("hw-").append(i).append('"');
        }
        byte[] archive = new TestTar().file(".ota-manifest.ndjson", "{\"path\":\"a.bin\",\"hardwareIds\":[" + ids + "]}\n")
                .file("a.bin", "a").bytes();

        RepositoryFailure f = refused(archive);

        assertEquals("release.invalid-hardware-id", f.code());
        assertEquals(ErrorKind.INVALID_INPUT, f.kind());
        assertTrue(f.getMessage().startsWith("entry 2 (a.bin): a release names at most 16 hardware ids"), f.getMessage());
        assertEquals(0, staged());
    }

    @Test
    void manifestCustomWithAThirtyDigitIntegerIsRefusedAsNotPortable() {
        byte[] archive = new TestTar().file(".ota-manifest.ndjson",
                "{\"path\":\"a.bin\",\"custom\":{\"build\":123456789012345678901234567890}}\n").file("a.bin", "a").bytes();

        RepositoryFailure f = refused(archive);

        assertEquals("release.custom-not-portable", f.code());
        assertTrue(f.getMessage().contains("/build"), f.getMessage());
    }

    @Test
    void entriesWithZeroWidthSpaceOrRightToLeftOverrideInTheirNameAreRefusedAndShownEscaped() {
        for (String name : List.of("fw/a\u200b.bin", "fw/\u202enib.exe", "fw/%2e%2e/x.bin", "fw/<img src=x>.bin")) {
            RepositoryFailure f = refused(new TestTar().paxFile(name, "x".getBytes(StandardCharsets.UTF_8)).bytes());

            assertEquals("release.invalid-path", f.code(), name);
            assertTrue(f.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), f.getMessage());
        }
    }

    @Test
    void twoEntriesDifferingOnlyInLetterCaseAreRefusedAsConfusable() {
        RepositoryFailure f = refused(new TestTar().file("fw/App.bin", "a").file("fw/app.bin", "b").bytes());

        assertEquals("release.path-confusable", f.code());
        assertTrue(f.getMessage().startsWith("entry 2 (fw/app.bin): differs from the archive's 'fw/App.bin'"),
                f.getMessage());
    }
}
