package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;
import dev.ota.tuf.LengthOrHashMismatchException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.targetFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Target download (TUF 5.7.3) and the attacks on it (tuf-checklist.md: arbitrary installation, endless data,
 * malicious mirror): never more than the listed length, every listed hash verified, nothing written before that,
 * and a target already stored with matching hashes is not downloaded again.
 */
class TargetDownloadTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final byte[] IMAGE = "firmware image, the one that was signed".getBytes(StandardCharsets.UTF_8);
    static final byte[] OTHER = "firmware image, but one nobody signed!!".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;

    private static TargetFile listing(byte[] content, Map<String, String> hashes) {
        return new TargetFile(content.length, hashes, Optional.empty(), Map.of());
    }

    private static String hex(byte[] content, String tufAlgorithm) {
        return HexFormat.of().formatHex(Bytes.of(content).digestByTufName(tufAlgorithm));
    }

    @Test
    void rejectsTargetNotListedByAnyRole() {
        RepositorySimulator repo = RepositorySimulator.create(T0).addTarget("fw/a.bin", IMAGE).publish();
        repo.serve(targetFile("fw/b.bin"), OTHER);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        TargetNotFoundException e = client.rejects(TargetNotFoundException.class, () -> client.downloadWithoutRefresh("fw/b.bin"));

        assertEquals("fw/b.bin", e.targetPath());
        assertFalse(repo.requestedPaths().stream().anyMatch(p -> p.startsWith("targets/")));
    }

    @Test
    void rejectsTargetWithWrongHash() {
        assertEquals(IMAGE.length, OTHER.length, "same length, so only the hash can tell");
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .listTarget(TARGETS, "fw/a.bin", listing(IMAGE, Map.of("sha256", hex(IMAGE, "sha256"))), OTHER).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        LengthOrHashMismatchException e = client.rejects(LengthOrHashMismatchException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertEquals("fw/a.bin", e.subject());
        assertEquals("sha256", e.what());
        assertEquals(hex(IMAGE, "sha256"), e.expected());
        assertEquals(hex(OTHER, "sha256"), e.actual());
    }

    @Test
    void rejectsTargetWhoseSecondListedHashMismatches() {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("sha256", hex(OTHER, "sha256")); // matches what is served
        hashes.put("sha512", hex(IMAGE, "sha512")); // does not
        RepositorySimulator repo = RepositorySimulator.create(T0).listTarget(TARGETS, "fw/a.bin", listing(IMAGE, hashes), OTHER).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        LengthOrHashMismatchException e = client.rejects(LengthOrHashMismatchException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertEquals("sha512", e.what());
        assertEquals(hex(OTHER, "sha512"), e.actual());
    }

    @Test
    void rejectsTargetListedOnlyWithAHashAlgorithmTheClientCannotCheck() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .listTarget(TARGETS, "fw/a.bin", listing(IMAGE, Map.of("md5", "0123456789abcdef0123456789abcdef")), IMAGE).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        LengthOrHashMismatchException e = client.rejects(LengthOrHashMismatchException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertEquals("md5", e.what());
        assertEquals("unsupported hash algorithm", e.actual());
    }

    @Test
    void rejectsTargetLongerThanListed() {
        byte[] longer = (new String(IMAGE, StandardCharsets.UTF_8) + " and a payload").getBytes(StandardCharsets.UTF_8);
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .listTarget(TARGETS, "fw/a.bin", listing(IMAGE, Map.of("sha256", hex(IMAGE, "sha256"))), longer).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        DownloadException e = client.rejects(DownloadException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertEquals(repo.targetsUrl().resolve("fw/" + hex(IMAGE, "sha256") + ".a.bin").toString(), e.url());
        assertEquals(IMAGE.length, repo.requests().get(repo.requests().size() - 1).maxLength(), "capped at the listed length");
    }

    @Test
    void rejectsTargetShorterThanListed() {
        byte[] shorter = new String(IMAGE, StandardCharsets.UTF_8).substring(0, 10).getBytes(StandardCharsets.UTF_8);
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .listTarget(TARGETS, "fw/a.bin", listing(IMAGE, Map.of("sha256", hex(IMAGE, "sha256"))), shorter).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        LengthOrHashMismatchException e = client.rejects(LengthOrHashMismatchException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertEquals("length", e.what());
        assertEquals(Integer.toString(IMAGE.length), e.expected());
        assertEquals("10", e.actual());
    }

    @Test
    void fetchesTheTargetByTheFirstHashListedInTheFileWithConsistentSnapshots() {
        RepositorySimulator repo = RepositorySimulator.create(T0).targetHashAlgorithms("sha512", "sha256")
                .addTarget("fw/a b.bin", IMAGE).publish();
        TestClient client = TestClient.trusting(repo, work);

        Path file = client.download("fw/a b.bin");

        // Served files are canonical, so "sha256" comes before "sha512" in the file whatever order they were added in.
        assertEquals("targets/fw/" + hex(IMAGE, "sha256") + ".a%20b.bin", repo.requestedPaths().get(repo.requestedPaths().size() - 1));
        assertEquals("fw%2Fa%20b.bin", file.getFileName().toString());
    }

    @Test
    void doesNotDownloadAStoredTargetWithMatchingHashesAgain() throws Exception {
        RepositorySimulator repo = RepositorySimulator.create(T0).addTarget("fw/a.bin", IMAGE).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.download("fw/a.bin");
        repo.clearRequests();

        Path file = client.download("fw/a.bin");

        assertFalse(repo.requestedPaths().stream().anyMatch(p -> p.startsWith("targets/")));
        assertArrayEquals(IMAGE, Files.readAllBytes(file));
    }

    @Test
    void replacesAStoredTargetWhenTheListedOneChanged() throws Exception {
        RepositorySimulator repo = RepositorySimulator.create(T0).addTarget("fw/a.bin", IMAGE).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.download("fw/a.bin");
        repo.addTarget("fw/a.bin", OTHER).publish();

        Path file = client.download("fw/a.bin");

        assertArrayEquals(OTHER, Files.readAllBytes(file));
        assertEquals(Set.of("fw%2Fa.bin"), Set.copyOf(List.of(client.targetDir.toFile().list())), "the same file, overwritten");
    }

    @Test
    void downloadsAgainWhenTheStoredTargetWasCorrupted() throws Exception {
        RepositorySimulator repo = RepositorySimulator.create(T0).addTarget("fw/a.bin", IMAGE).publish();
        TestClient client = TestClient.trusting(repo, work);
        Path file = client.download("fw/a.bin");
        Files.write(file, OTHER);

        client.download("fw/a.bin");

        assertArrayEquals(IMAGE, Files.readAllBytes(file));
    }

    @Test
    void keepsTheSignedCustomFieldsForTheDeviceToCheckItsHardwareId() {
        JsonValue custom = Json.parse("{\"hardwareIds\":[\"lock-v2\",\"lock-v3\"],\"version\":\"2.4.1\"}"
                .getBytes(StandardCharsets.UTF_8), "custom");
        RepositorySimulator repo = RepositorySimulator.create(T0).addTarget(TARGETS, "fw/a.bin", IMAGE, Optional.of(custom)).publish();
        TestClient client = TestClient.trusting(repo, work);

        TargetFile found = client.find("fw/a.bin");

        assertEquals(Optional.of(custom), found.custom());
    }
}
