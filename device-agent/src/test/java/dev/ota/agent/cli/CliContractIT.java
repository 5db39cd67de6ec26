package dev.ota.agent.cli;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.FolderContents;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.targetFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The observable contract of ../shared/docs/agent-cli.md, checked on the real script against the simulator over
 * HTTP: exit statuses, exactly which files the metadata folder holds and their bytes, the exact HTTP requests,
 * and where targets are stored.
 */
class CliContractIT {
    static final byte[] IMAGE = "firmware image 1".getBytes(StandardCharsets.UTF_8);
    static final byte[] IMAGE_2 = "firmware image 2, a bit longer".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;
    RepositorySimulator repo;

    @AfterEach
    void stopServer() {
        if (repo != null) repo.close();
    }

    @Test
    void initStoresTheGivenRootAsTheTrustedRootWithoutNetwork() {
        repo = RepositorySimulator.create();

        CliDevice device = CliDevice.initialised(repo, work);

        assertEquals(Map.of("root.json", Bytes.of(repo.initialRoot())), device.trustedFiles());
        assertEquals(List.of(), repo.requestedPaths());
    }

    @Test
    void refreshStoresExactlyTheServedTopLevelMetadataUnderUnversionedNames() {
        repo = RepositorySimulator.create();
        repo.publishRoot();
        repo.addTarget("fw/a.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);

        device.succeeds(device.refresh());

        assertEquals(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS), device.trustedFiles());
        assertEquals(Bytes.of(repo.published(ROOT, 2)), device.trustedFiles().get("root.json"));
    }

    @Test
    void verifiesEcdsaAndRsaSignaturesAsWellAsEd25519() {
        repo = RepositorySimulator.create();
        SigningKey ecdsa = SigningKey.generate(KeyType.ECDSA_P256);
        SigningKey rsa = SigningKey.generate(KeyType.RSA_PSS);
        repo.rotateKeys(SNAPSHOT, ecdsa).rotateKeys(TARGETS, rsa).addKey(TIMESTAMP, ecdsa).threshold(TIMESTAMP, 2);
        repo.publishRoot();
        repo.addTarget("fw/a.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);

        device.succeeds(device.download("fw/a.bin"));

        assertEquals(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS), device.trustedFiles());
    }

    @Test
    void requestsExactlyWhatTheWorkflowNeedsForInitRefreshAndDownload() {
        repo = RepositorySimulator.create().delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "apps/a.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);

        device.succeeds(device.refresh());
        device.succeeds(device.download("apps/a.bin"));

        assertEquals(List.of(
                "metadata/2.root.json", "metadata/timestamp.json", "metadata/2.snapshot.json", "metadata/2.targets.json",
                "metadata/2.root.json", "metadata/timestamp.json", "metadata/1.apps.json",
                "targets/apps/" + Bytes.of(IMAGE).sha256Hex() + ".a.bin"), repo.requestedPaths());
    }

    @Test
    void keepsDelegatedRolesNamedLikePathsInsideTheMetadataFolder() throws Exception {
        repo = RepositorySimulator.create()
                .delegate(TARGETS, Delegation.forPaths("../x", "x/*"))
                .delegate(TARGETS, Delegation.forPaths("a/b", "ab/*"))
                .addTarget("../x", "x/1.bin", IMAGE)
                .addTarget("a/b", "ab/2.bin", IMAGE_2).publish();
        CliDevice device = CliDevice.initialised(repo, work);
        Map<String, Bytes> outsideBefore = outsideTheFolders(work);

        device.succeeds(device.download("x/1.bin", "ab/2.bin"));

        Map<String, Bytes> expected = new TreeMap<>(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS, "../x", "a/b"));
        assertEquals(expected, device.trustedFiles());
        assertEquals(Set.of("root.json", "timestamp.json", "snapshot.json", "targets.json", "..%2Fx.json", "a%2Fb.json"),
                Set.of(device.metadataDir.toFile().list()), "flat: no sub-folders, nothing else");
        assertEquals(outsideBefore, outsideTheFolders(work), "nothing written next to the metadata folder");
    }

    /** Every file under {@code work} except the metadata and target folders and the captured stderr. */
    private static Map<String, Bytes> outsideTheFolders(Path work) {
        Map<String, Bytes> m = new TreeMap<>(FolderContents.of(work));
        m.keySet().removeIf(name -> name.startsWith("metadata/") || name.startsWith("targets/") || name.equals("cli-stderr.txt"));
        return m;
    }

    @Test
    void storesTargetsUnderTheirUrlEncodedPathAndDoesNotDownloadThemAgain() throws Exception {
        repo = RepositorySimulator.create().addTarget("fw/a b.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);
        device.succeeds(device.download("fw/a b.bin"));
        repo.clearRequests();

        device.succeeds(device.download("fw/a b.bin"));

        assertEquals(Set.of("fw%2Fa%20b.bin"), Set.of(device.targetDir.toFile().list()));
        assertArrayEquals(IMAGE, Files.readAllBytes(device.targetDir.resolve("fw%2Fa%20b.bin")));
        assertFalse(repo.requestedPaths().stream().anyMatch(p -> p.startsWith("targets/")), repo.requestedPaths().toString());
    }

    @Test
    void overwritesAStoredTargetWhenTheRepositoryChangedIt() throws Exception {
        repo = RepositorySimulator.create().addTarget("fw/a.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);
        device.succeeds(device.download("fw/a.bin"));
        repo.addTarget("fw/a.bin", IMAGE_2).publish();

        device.succeeds(device.download("fw/a.bin"));

        assertEquals(Set.of("fw%2Fa.bin"), Set.of(device.targetDir.toFile().list()));
        assertArrayEquals(IMAGE_2, Files.readAllBytes(device.targetDir.resolve("fw%2Fa.bin")));
    }

    @Test
    void downloadsTargetsInOrderAndStopsAtTheFirstFailure() {
        repo = RepositorySimulator.create().addTarget("fw/a.bin", IMAGE).addTarget("fw/c.bin", IMAGE_2).publish();
        CliDevice device = CliDevice.initialised(repo, work);

        CliDevice.Run run = device.download("fw/a.bin", "fw/not-listed.bin", "fw/c.bin");

        assertEquals(1, run.exitStatus(), run.stderr());
        assertEquals(Set.of("fw%2Fa.bin"), Set.of(device.targetDir.toFile().list()));
        assertFalse(repo.requestedPaths().stream().anyMatch(p -> p.contains("c.bin")), "stopped before fw/c.bin");
    }

    @Test
    void usesUnversionedNamesWhenConsistentSnapshotsAreOff() {
        repo = RepositorySimulator.create().consistentSnapshot(false);
        repo.publishRoot();
        repo.addTarget("fw/a.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);

        device.succeeds(device.download("fw/a.bin"));

        assertEquals(List.of("metadata/2.root.json", "metadata/3.root.json", "metadata/timestamp.json",
                "metadata/snapshot.json", "metadata/targets.json", targetFile("fw/a.bin")), repo.requestedPaths());
    }

    @Test
    void exitsWithStatusOneOnAnUnknownCommandOrOption() {
        repo = RepositorySimulator.create();
        CliDevice device = CliDevice.initialised(repo, work);

        CliDevice.Run unknownCommand = device.rejects(() -> device.run("--metadata-dir", device.metadataDir.toString(), "upgrade"));
        CliDevice.Run unknownOption = device.rejects(() -> device.run("--metadata-dir", device.metadataDir.toString(), "--colour", "red", "refresh"));

        assertEquals(1, unknownCommand.exitStatus());
        assertEquals(1, unknownOption.exitStatus());
    }

    @Test
    void exitsWithStatusOneWhenTheRepositoryIsUnreachable() {
        repo = RepositorySimulator.create();
        CliDevice device = CliDevice.initialised(repo, work);
        String url = repo.metadataUrl().toString();
        repo.close();

        device.rejects(() -> device.run("--metadata-url", url, "--metadata-dir", device.metadataDir.toString(), "refresh"));
    }

    @Test
    void leavesNoOtherFilesInTheMetadataFolderAfterARefresh() {
        repo = RepositorySimulator.create();
        CliDevice device = CliDevice.initialised(repo, work);

        device.succeeds(device.refresh());

        assertEquals(Set.of("root.json", "timestamp.json", "snapshot.json", "targets.json"),
                FolderContents.of(device.metadataDir).keySet());
    }
}
