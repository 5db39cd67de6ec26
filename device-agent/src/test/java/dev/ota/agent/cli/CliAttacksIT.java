package dev.ota.agent.cli;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.FolderContents;
import dev.ota.tuf.testing.RepositorySimulator;
import dev.ota.tuf.testing.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static dev.ota.tuf.json.JsonValue.obj;
import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static dev.ota.tuf.testing.RepositorySimulator.targetFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every client-enforced rule of tuf-checklist.md, driven through the real {@code ota-agent-tuf} script against
 * the simulator over HTTP: each builds the hostile repository state, and asserts exit status exactly 1 and that
 * the metadata folder (and the target folder) did not change; honest states exit 0 with exactly the served bytes.
 * The device's clock is the system clock, so expiries are set relative to now.
 */
class CliAttacksIT {
    static final byte[] IMAGE = "firmware image, the signed one".getBytes(StandardCharsets.UTF_8);
    static final byte[] EVIL = "firmware image, a malicious one".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;
    RepositorySimulator repo;

    @AfterEach
    void stopServer() {
        if (repo != null) repo.close();
    }

    /** A device that trusts the current state of {@code repo}, as one successful refresh leaves it. */
    private CliDevice upToDate() {
        return CliDevice.trustingCurrentState(repo, work);
    }

    /** The same, reached through a real {@code refresh}, where the test is about what that run stored. */
    private CliDevice refreshedThroughTheCli() {
        CliDevice device = CliDevice.initialised(repo, work);
        device.succeeds(device.refresh());
        return device;
    }

    // ------------------------------------------------------------------ rollback

    @Test
    void rejectsTimestampRollback() {
        repo = RepositorySimulator.create();
        repo.publishTimestamp();
        CliDevice device = upToDate();
        repo.replay(TIMESTAMP, 1);

        device.rejects(device::refresh);
    }

    @Test
    void rejectsSnapshotThatRollsBackTheTargetsVersion() {
        repo = RepositorySimulator.create().addTarget("fw/a.bin", IMAGE).publish();
        CliDevice device = upToDate();
        repo.publishSnapshot(at("meta", "targets.json").set(obj("version", JsonValue.of(1))));
        repo.publishTimestamp();

        device.rejectsAfterAccepting(device::refresh, TIMESTAMP);
    }

    @Test
    void rejectsSnapshotThatDropsATargetsRole() {
        repo = RepositorySimulator.create().delegate(TARGETS, Delegation.forPaths("apps", "apps/*")).publish();
        CliDevice device = upToDate();
        repo.publishSnapshot(at("meta", "apps.json").remove());
        repo.publishTimestamp();

        device.rejectsAfterAccepting(device::refresh, TIMESTAMP);
    }

    @Test
    void rejectsOlderRootServedAsTheNextVersion() {
        repo = RepositorySimulator.create();
        repo.publishRoot();
        CliDevice device = upToDate();
        repo.publishRoot();
        repo.replay(ROOT, 1);

        device.rejects(device::refresh);
    }

    // ------------------------------------------------------------------ fast-forward

    @Test
    void recoversFromFastForwardAfterTimestampKeyRotation() {
        repo = RepositorySimulator.create();
        CliDevice device = refreshedThroughTheCli();
        repo.publishTimestamp(at("version").set(1000)); // with the stolen timestamp key
        device.succeeds(device.refresh());
        repo.publishTimestamp();
        device.rejects(device::refresh);                // honest version 3 now looks like a rollback

        repo.rotateKeys(TIMESTAMP, TestKeys.ed25519("timestamp-2"));
        repo.publishRoot();
        repo.publishTimestamp();
        device.succeeds(device.refresh());

        assertEquals(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS), device.trustedFiles());
    }

    // ------------------------------------------------------------------ indefinite freeze

    @Test
    void rejectsExpiredTimestamp() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        // The mirror serves a timestamp that stopped being valid an hour ago.
        repo.expireAt(TIMESTAMP, Instant.now().minus(Duration.ofHours(1)));
        repo.publishTimestamp();

        device.rejects(device::refresh);
    }

    @Test
    void rejectsExpiredSnapshot() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.expireAt(SNAPSHOT, Instant.now().minus(Duration.ofHours(1)));
        repo.publish();

        device.rejectsAfterAccepting(device::refresh, TIMESTAMP);
    }

    @Test
    void rejectsExpiredTargets() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.expireAt(TARGETS, Instant.now().minus(Duration.ofHours(1)));
        repo.addTarget("fw/a.bin", IMAGE).publish();

        device.rejectsAfterAccepting(device::refresh, TIMESTAMP, SNAPSHOT);
    }

    @Test
    void rejectsExpiredRoot() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.expireAt(ROOT, Instant.now().minus(Duration.ofHours(1)));
        repo.publishRoot();

        // The new root is accepted and stored (TUF 5.3.8), then refused as final because it has expired.
        device.rejectsAfterAccepting(device::refresh, ROOT);
    }

    // ------------------------------------------------------------------ endless data, slow retrieval

    @Test
    void rejectsEndlessTimestamp() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.serveEndless(metadataFile(TIMESTAMP));

        CliDevice.Run run = device.rejects(device::refresh);

        assertTrue(run.took().compareTo(Duration.ofSeconds(30)) < 0, "stopped at the cap, after " + run.took());
    }

    @Test
    void rejectsEndlessRoot() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.serveEndless(metadataFile(ROOT, 2));

        device.rejects(device::refresh);
    }

    @Test
    void rejectsEndlessTarget() {
        repo = RepositorySimulator.create().addTarget("fw/a.bin", IMAGE).publish();
        CliDevice device = upToDate();
        repo.serveEndless(targetFile("fw/a.bin", Bytes.of(IMAGE).sha256Hex()));

        device.rejects(() -> device.download("fw/a.bin"));
    }

    // ------------------------------------------------------------------ mix-and-match

    @Test
    void rejectsSnapshotVersionNotMatchingTimestamp() {
        repo = RepositorySimulator.create().metaHashesAndLengths(false);
        CliDevice device = upToDate();
        repo.addTarget("fw/a.bin", IMAGE).publish();
        repo.replay(SNAPSHOT, 1);

        device.rejectsAfterAccepting(device::refresh, TIMESTAMP);
    }

    @Test
    void rejectsSnapshotNotMatchingTheHashTimestampLists() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.publish();
        repo.tamper(metadataFile(SNAPSHOT, 2), CliAttacksIT::flipAByte);

        device.rejectsAfterAccepting(device::refresh, TIMESTAMP);
    }

    @Test
    void rejectsTargetsVersionNotMatchingSnapshot() {
        repo = RepositorySimulator.create().metaHashesAndLengths(false);
        CliDevice device = upToDate();
        repo.addTarget("fw/a.bin", IMAGE).publish();
        repo.replay(TARGETS, 1);

        device.rejectsAfterAccepting(device::refresh, TIMESTAMP, SNAPSHOT);
    }

    // ------------------------------------------------------------------ key compromise below threshold, malicious mirror

    @Test
    void rejectsTimestampSignedBelowThreshold() {
        SigningKey second = TestKeys.ed25519("timestamp-b");
        repo = RepositorySimulator.create().addKey(TIMESTAMP, second).threshold(TIMESTAMP, 2);
        repo.publishRoot();
        repo.publishTimestamp();
        CliDevice device = upToDate();
        repo.signers(TIMESTAMP, TestKeys.ed25519("timestamp-1"));
        repo.publishTimestamp();

        device.rejects(device::refresh);
    }

    @Test
    void rejectsThresholdNotMetWithDuplicateSignatures() {
        SigningKey second = TestKeys.ed25519("timestamp-b");
        repo = RepositorySimulator.create().addKey(TIMESTAMP, second).threshold(TIMESTAMP, 2);
        repo.publishRoot();
        repo.publishTimestamp();
        CliDevice device = upToDate();
        repo.signers(TIMESTAMP, TestKeys.ed25519("timestamp-1"));
        repo.publishTimestamp();
        repo.editEnvelope(metadataFile(TIMESTAMP), at("signatures").change(CliAttacksIT::repeatFirst));

        device.rejects(device::refresh);
    }

    @Test
    void rejectsMetadataChangedInTransit() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.publishTimestamp();
        repo.editEnvelope(metadataFile(TIMESTAMP), at("signed", "version").set(7));

        device.rejects(device::refresh);
    }

    @Test
    void rejectsRootSkippingAVersion() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.publishRoot(at("version").set(3));

        device.rejects(device::refresh);
    }

    @Test
    void rejectsRootNotSignedByPreviousKeys() {
        SigningKey attacker = TestKeys.ed25519("root-attacker");
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.rotateKeys(ROOT, attacker);
        repo.publishRootSignedBy(attacker);

        device.rejects(device::refresh);
    }

    @Test
    void stopsAtMaxRootRotations() {
        repo = RepositorySimulator.create();
        CliDevice device = CliDevice.initialised(repo, work);
        for (int i = 0; i < 257; i++) repo.publishRoot(); // versions 2..258; the agent follows 256 per run

        device.succeeds(device.refresh());

        List<String> roots = repo.requestedPaths().stream().filter(p -> p.endsWith(".root.json")).toList();
        assertEquals(256, roots.size());
        assertEquals(metadataFile(ROOT, 257), roots.get(roots.size() - 1));
        assertEquals(Bytes.of(repo.published(ROOT, 257)), device.trustedFiles().get("root.json"));
    }

    @Test
    void rejectsUnsupportedSpecificationMajorVersion() {
        repo = RepositorySimulator.create();
        CliDevice device = upToDate();
        repo.publishTimestamp(at("spec_version").set("2.0.0"));

        device.rejects(device::refresh);
    }

    // ------------------------------------------------------------------ delegations, arbitrary installation

    @Test
    void honoursTerminatingDelegation() {
        repo = RepositorySimulator.create()
                .delegate(TARGETS, Delegation.forPaths("vendor", "fw/*").terminating())
                .delegate(TARGETS, Delegation.forPaths("mirror", "fw/*"))
                .addTarget("mirror", "fw/boot.bin", EVIL).publish();
        CliDevice device = upToDate();

        CliDevice.Run run = device.download("fw/boot.bin");

        assertEquals(1, run.exitStatus(), run.stderr());
        assertFalse(repo.requestedPaths().stream().anyMatch(p -> p.contains("mirror") || p.startsWith("targets/")));
        assertEquals(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS, "vendor"), device.trustedFiles());
        assertFalse(Files.exists(device.targetDir.resolve("fw%2Fboot.bin")));
    }

    @Test
    void stopsAtMaxDelegations() {
        repo = RepositorySimulator.create();
        String parent = TARGETS;
        for (int i = 1; i <= 33; i++) {
            repo.delegate(parent, Delegation.forPaths("d" + i, "*"));
            parent = "d" + i;
        }
        repo.addTarget("d33", "deep.bin", IMAGE).publish();
        CliDevice device = upToDate();

        CliDevice.Run run = device.download("deep.bin");

        assertEquals(1, run.exitStatus(), run.stderr());
        assertFalse(repo.requestedPaths().contains(metadataFile("d33", 1)), "the 33rd delegated role is never fetched");
        assertTrue(repo.requestedPaths().contains(metadataFile("d32", 1)));
    }

    @Test
    void findsTargetInSuccinctHashBin() throws Exception {
        repo = RepositorySimulator.create().delegateToHashBins(TARGETS, "bin", 6);
        String bin = repo.hashBinFor(TARGETS, "fw/a.bin");
        repo.addTarget(bin, "fw/a.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);

        device.succeeds(device.download("fw/a.bin"));

        assertArrayEquals(IMAGE, Files.readAllBytes(device.targetDir.resolve("fw%2Fa.bin")));
        assertEquals(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS, bin), device.trustedFiles());
    }

    @Test
    void rejectsARoleReachedThroughADelegatorWhoseKeysDidNotSignItAfterAnotherDelegatorTrustedIt() throws Exception {
        // "a" and "b" both delegate "shared"; only the key "a" names signed it. One process, one updater: the
        // first target is found through a, the second only through b, where "shared" must not be trusted.
        repo = RepositorySimulator.create()
                .delegate(TARGETS, Delegation.forPaths("a", "a/*"))
                .delegate(TARGETS, Delegation.forPaths("b", "b/*"))
                .delegate("a", Delegation.forPaths("shared", "a/*"))
                .delegate("b", Delegation.forPaths("shared", "b/*").keys(TestKeys.ed25519("b's key for shared")))
                .signers("shared", TestKeys.ed25519("delegated role shared"))
                .addTarget("shared", "a/x.bin", IMAGE)
                .addTarget("shared", "b/evil.bin", EVIL).publish();
        CliDevice device = upToDate();

        CliDevice.Run run = device.download("a/x.bin", "b/evil.bin");

        assertEquals(1, run.exitStatus(), run.stderr());
        assertTrue(run.stderr().contains("shared"), run.stderr());
        assertArrayEquals(IMAGE, Files.readAllBytes(device.targetDir.resolve("a%2Fx.bin")));
        assertFalse(Files.exists(device.targetDir.resolve("b%2Fevil.bin")));
        assertFalse(repo.requestedPaths().stream().anyMatch(p -> p.startsWith("targets/b/")), "evil.bin is never fetched");
        assertEquals(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS, "a", "b", "shared"), device.trustedFiles());
    }

    @Test
    void rejectsTargetListedByARoleNotTrustedForItsPath() {
        repo = RepositorySimulator.create().delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "system/boot.bin", EVIL).publish();
        CliDevice device = upToDate();
        repo.serve(targetFile("system/boot.bin"), EVIL);

        device.rejects(() -> device.download("system/boot.bin"));
    }

    @Test
    void rejectsTargetNotListedByAnyRole() {
        repo = RepositorySimulator.create().publish();
        CliDevice device = upToDate();
        repo.serve(targetFile("fw/a.bin"), EVIL);

        device.rejects(() -> device.download("fw/a.bin"));
    }

    // ------------------------------------------------------------------ target download

    @Test
    void rejectsTargetWithWrongHash() {
        byte[] sameLength = "firmware image, the signed onE".getBytes(StandardCharsets.UTF_8);
        repo = RepositorySimulator.create().listTarget(TARGETS, "fw/a.bin",
                new TargetFile(IMAGE.length, Map.of("sha256", Bytes.of(IMAGE).sha256Hex()), Optional.empty(), Map.of()), sameLength).publish();
        CliDevice device = upToDate();

        device.rejects(() -> device.download("fw/a.bin"));
    }

    @Test
    void rejectsTargetLongerThanListed() {
        assertTrue(EVIL.length > IMAGE.length);
        repo = RepositorySimulator.create().listTarget(TARGETS, "fw/a.bin",
                new TargetFile(IMAGE.length, Map.of("sha256", Bytes.of(IMAGE).sha256Hex()), Optional.empty(), Map.of()), EVIL).publish();
        CliDevice device = upToDate();

        device.rejects(() -> device.download("fw/a.bin"));
    }

    @Test
    void refusesToKeepAStoredTargetWhoseHashNoLongerMatches() throws Exception {
        repo = RepositorySimulator.create().addTarget("fw/a.bin", IMAGE).publish();
        CliDevice device = CliDevice.initialised(repo, work);
        device.succeeds(device.download("fw/a.bin"));
        Files.write(device.targetDir.resolve("fw%2Fa.bin"), EVIL); // tampered on the device
        repo.clearRequests();

        device.succeeds(device.download("fw/a.bin"));

        assertArrayEquals(IMAGE, Files.readAllBytes(device.targetDir.resolve("fw%2Fa.bin")));
        assertTrue(repo.requestedPaths().contains(targetFile("fw/a.bin", Bytes.of(IMAGE).sha256Hex())));
    }

    // ------------------------------------------------------------------ a failed step never blocks later updates

    @Test
    void updatesOnceTheRepositoryIsRepaired() {
        repo = RepositorySimulator.create();
        CliDevice device = refreshedThroughTheCli();
        repo.addTarget("fw/a.bin", IMAGE).publish();
        repo.tamper(metadataFile(TARGETS, 2), CliAttacksIT::flipAByte);
        device.rejectsAfterAccepting(device::refresh, TIMESTAMP, SNAPSHOT);

        repo.publishTargets(TARGETS);
        repo.publish();
        device.succeeds(device.download("fw/a.bin"));

        Map<String, Bytes> expected = new TreeMap<>(device.servedMetadata(ROOT, TIMESTAMP, SNAPSHOT, TARGETS));
        assertEquals(expected, FolderContents.of(device.metadataDir));
        assertEquals(Set.of("fw%2Fa.bin"), Set.of(device.targetDir.toFile().list()));
    }

    static byte[] flipAByte(byte[] b) {
        b[b.length / 2] ^= 1;
        return b;
    }

    static JsonValue repeatFirst(JsonValue array) {
        List<JsonValue> l = new ArrayList<>(((JsonArray) array).elements());
        l.add(l.get(0));
        return JsonValue.arr(l);
    }
}
