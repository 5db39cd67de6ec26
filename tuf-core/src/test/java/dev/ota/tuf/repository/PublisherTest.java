package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ota.tuf.repository.TestRepository.T0;
import static dev.ota.tuf.repository.TestRepository.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublisherTest {
    private static final String PATH = "firmware/ecu-a/app-1.0.0.bin"; // bin 68 with 8 bits (see HashBinsTest)
    private static final String BIN = "releases-68";

    private final TestRepository repo = TestRepository.withBins("releases", 8);

    private Publication add(RepositoryState state, String path, TargetFile f, Instant now) {
        return Publisher.publish(state, List.of(TargetChange.add(path, f)), repo.online(), repo.expiries, now);
    }

    @Test
    void newRepositoryIsVersionOneOfEveryRoleEachSignedByItsOwnKeys() {
        RepositoryState s = repo.state();
        Root root = s.root().metadata();
        assertTrue(root.consistentSnapshot());
        for (String role : Root.TOP_LEVEL_ROLES) assertEquals(1, root.role(role).threshold());
        List<MetadataFile> files = repo.created.files();
        assertEquals(1 + 256 + 3, files.size());
        assertEquals("1.root.json", files.get(0).fileName());
        assertEquals("1.targets.json", files.get(files.size() - 3).fileName());
        assertEquals("1.snapshot.json", files.get(files.size() - 2).fileName());
        assertEquals("timestamp.json", files.get(files.size() - 1).fileName());
        for (MetadataFile f : files) assertEquals(1, f.version(), f.fileName());

        assertTrue(TestRepository.verifyStored(files.get(0), Root.class, RoleKeys.ofTopLevel(root, "root")).thresholdMet());
        assertTrue(TestRepository.verifyStored(files.get(files.size() - 3), Targets.class, RoleKeys.ofTopLevel(root, "targets")).thresholdMet());
        assertTrue(TestRepository.verifyStored(files.get(files.size() - 2), Snapshot.class, RoleKeys.ofTopLevel(root, "snapshot")).thresholdMet());
        assertTrue(TestRepository.verifyStored(files.get(files.size() - 1), Timestamp.class, RoleKeys.ofTopLevel(root, "timestamp")).thresholdMet());
        MetadataFile bin = files.stream().filter(f -> f.role().equals("releases-a7")).findFirst().orElseThrow();
        assertEquals("1.releases-a7.json", bin.fileName());
        assertTrue(TestRepository.verifyStored(bin, Targets.class, TestRepository.delegatedKeys(s, "releases-a7")).thresholdMet());
        // The snapshot key alone does not make a valid timestamp: roles are really signed by distinct keys.
        assertFalse(TestRepository.verifyStored(files.get(files.size() - 1), Timestamp.class, RoleKeys.ofTopLevel(root, "snapshot")).thresholdMet());
    }

    @Test
    void newRepositoryExpiresEachRoleAfterItsOwnDuration() {
        RepositoryState s = repo.state();
        assertEquals(T0.plus(Duration.ofDays(365)), s.root().expires());
        assertEquals(T0.plus(Duration.ofDays(365)), s.targets().expires());
        assertEquals(T0.plus(Duration.ofDays(90)), s.delegated().get(BIN).expires());
        assertEquals(T0.plus(Duration.ofDays(7)), s.snapshot().expires());
        assertEquals(T0.plus(Duration.ofDays(1)), s.timestamp().expires());
    }

    @Test
    void timestampNamesSnapshotWithVersionLengthAndSha256() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        MetaFile named = s.timestamp().metadata().snapshotMeta();
        assertEquals(s.snapshot().version(), named.version());
        assertEquals(s.snapshot().bytes().length(), named.length().orElseThrow());
        assertEquals(s.snapshot().bytes().sha256Hex(), named.hashes().get("sha256"));
    }

    @Test
    void addingATargetResignsOnlyItsBinThenSnapshotThenTimestamp() {
        RepositoryState before = repo.state();
        Publication p = add(before, PATH, file("one"), T0.plusSeconds(60));

        assertEquals(List.of("2." + BIN + ".json", "2.snapshot.json", "timestamp.json"),
                p.files().stream().map(MetadataFile::fileName).toList());
        assertEquals(List.of(BIN, "snapshot", "timestamp"), p.changedRoles());
        RepositoryState after = p.state();
        assertEquals(file("one"), after.target(PATH).orElseThrow());
        for (String bin : before.delegated().keySet()) {
            if (bin.equals(BIN)) continue;
            assertSame(before.delegated().get(bin), after.delegated().get(bin), bin + " must not be re-signed");
        }
        assertSame(before.root(), after.root());
        assertSame(before.targets(), after.targets());
        RoleKeys binKeys = TestRepository.delegatedKeys(after, BIN);
        assertTrue(TestRepository.verifyStored(p.files().get(0), Targets.class, binKeys).thresholdMet());
        Root root = after.root().metadata();
        assertTrue(TestRepository.verifyStored(p.files().get(1), Snapshot.class, RoleKeys.ofTopLevel(root, "snapshot")).thresholdMet());
        assertTrue(TestRepository.verifyStored(p.files().get(2), Timestamp.class, RoleKeys.ofTopLevel(root, "timestamp")).thresholdMet());
    }

    @Test
    void versionsBumpByExactlyOnePerPublish() {
        RepositoryState s = repo.state();
        s = add(s, PATH, file("one"), T0).state();
        s = add(s, "firmware/ecu-a/app-1.0.1.bin", file("two"), T0).state();
        RepositoryState before = s;
        String bin2 = s.roleFor("images/gateway.img");
        RepositoryState after = add(s, "images/gateway.img", file("gw"), T0).state();
        assertEquals(before.delegated().get(bin2).version() + 1, after.delegated().get(bin2).version());
        assertEquals(before.snapshot().version() + 1, after.snapshot().version());
        assertEquals(before.timestamp().version() + 1, after.timestamp().version());
        assertEquals(4, after.snapshot().version());
        assertEquals(4, after.timestamp().version());
    }

    @Test
    void snapshotListsEveryBinAfterAPublishWithTheChangedBinsNewVersionAndHash() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        Snapshot snapshot = s.snapshot().metadata();
        assertEquals(257, snapshot.meta().size());
        assertEquals(MetaFile.describing(2, s.delegated().get(BIN).bytes()), snapshot.metaFor(BIN));
        assertEquals(1, snapshot.metaFor("releases-00").version());
        assertEquals(1, snapshot.metaFor("targets").version());
    }

    @Test
    void removingATargetDropsItFromItsBin() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        s = add(s, "firmware/ecu-a/keep.bin", file("keep"), T0).state();
        String keepBin = s.roleFor("firmware/ecu-a/keep.bin");
        Publication p = Publisher.publish(s, List.of(TargetChange.remove(PATH)), repo.online(), repo.expiries, T0);
        assertEquals(Optional.empty(), p.state().target(PATH));
        assertEquals(Optional.of(file("keep")), p.state().target("firmware/ecu-a/keep.bin"));
        assertEquals(List.of(BIN, "snapshot", "timestamp"), p.changedRoles());
        assertEquals(s.delegated().get(BIN).version() + 1, p.state().delegated().get(BIN).version());
        if (!keepBin.equals(BIN)) assertSame(s.delegated().get(keepBin), p.state().delegated().get(keepBin));
    }

    @Test
    void removingATargetThatIsNotListedIsRefused() {
        TargetNotListedException e = assertThrows(TargetNotListedException.class, () -> Publisher.publish(repo.state(),
                List.of(TargetChange.remove(PATH)), repo.online(), repo.expiries, T0));
        assertEquals(PATH, e.path());
        assertEquals(BIN, e.role());
    }

    @Test
    void replacingATargetListsTheNewLengthAndHashes() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        TargetFile newer = TargetFile.describing(Bytes.utf8("one, fixed"), Optional.of(dev.ota.tuf.json.JsonValue.obj(
                "hardwareId", dev.ota.tuf.json.JsonValue.of("ecu-a"))));
        Publication p = Publisher.publish(s, List.of(TargetChange.replace(PATH, newer)), repo.online(), repo.expiries, T0);
        TargetFile listed = p.state().target(PATH).orElseThrow();
        assertEquals(newer, listed);
        assertNotEquals(file("one").hashes(), listed.hashes());
        assertEquals(List.of(BIN, "snapshot", "timestamp"), p.changedRoles());
        // And it is what a client parses from the stored bin.
        Targets parsed = dev.ota.tuf.metadata.Signed.parse(p.files().get(0).bytes().toArray(), Targets.class, "bin").signed();
        assertEquals(newer, parsed.targets().get(PATH));
    }

    @Test
    void replacingATargetThatIsNotListedIsRefused() {
        assertThrows(TargetNotListedException.class, () -> Publisher.publish(repo.state(),
                List.of(TargetChange.replace(PATH, file("x"))), repo.online(), repo.expiries, T0));
    }

    @Test
    void addingOtherContentUnderAListedPathIsRefused() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        TargetAlreadyListedException e = assertThrows(TargetAlreadyListedException.class,
                () -> add(s, PATH, file("other"), T0));
        assertEquals(PATH, e.path());
        assertEquals(BIN, e.role());
    }

    @Test
    void addingTheIdenticalTargetAgainPublishesNothing() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        Publication p = add(s, PATH, file("one"), T0);
        assertFalse(p.changed());
        assertSame(s, p.state());
    }

    @Test
    void aRefusedChangeInABatchPublishesNothing() {
        RepositoryState s = repo.state();
        List<MetadataFile> before = s.files();
        assertThrows(TargetNotListedException.class, () -> Publisher.publish(s, List.of(
                TargetChange.add("firmware/new.bin", file("new")), TargetChange.remove(PATH)), repo.online(), repo.expiries, T0));
        assertEquals(before, s.files());
        assertEquals(Optional.empty(), s.target("firmware/new.bin"));
    }

    @Test
    void manyTargetsInOnePublishSignEachChangedBinOnce() {
        List<TargetChange> changes = new java.util.ArrayList<>();
        Set<String> bins = new java.util.TreeSet<>();
        for (int i = 0; i < 40; i++) {
            String path = "bulk/file-" + i + ".bin";
            changes.add(TargetChange.add(path, file("content " + i)));
            bins.add(repo.state().roleFor(path));
        }
        Publication p = Publisher.publish(repo.state(), changes, repo.online(), repo.expiries, T0);
        List<String> expected = new java.util.ArrayList<>(bins);
        expected.add("snapshot");
        expected.add("timestamp");
        assertEquals(expected, p.changedRoles());
        for (String bin : bins) assertEquals(2, p.state().delegated().get(bin).version());
    }

    @Test
    void refreshingTimestampBumpsOnlyTimestampAndItsExpiry() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        Instant later = T0.plus(Duration.ofHours(20));
        Publication p = Publisher.refreshTimestamp(s, repo.online(), repo.expiries, later);
        assertEquals(List.of("timestamp.json"), p.files().stream().map(MetadataFile::fileName).toList());
        RepositoryState r = p.state();
        assertEquals(s.timestamp().version() + 1, r.timestamp().version());
        assertEquals(later.plus(Duration.ofDays(1)), r.timestamp().expires());
        assertEquals(s.timestamp().metadata().snapshotMeta(), r.timestamp().metadata().snapshotMeta());
        assertSame(s.snapshot(), r.snapshot());
        assertTrue(TestRepository.verifyStored(p.files().get(0), Timestamp.class,
                RoleKeys.ofTopLevel(r.root().metadata(), "timestamp")).thresholdMet());
    }

    @Test
    void refreshingSnapshotBumpsSnapshotAndTimestampWithoutContentChange() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        Instant later = T0.plus(Duration.ofDays(6));
        Publication p = Publisher.refreshSnapshot(s, repo.online(), repo.expiries, later);
        assertEquals(List.of("3.snapshot.json", "timestamp.json"), p.files().stream().map(MetadataFile::fileName).toList());
        RepositoryState r = p.state();
        assertEquals(s.snapshot().metadata().meta(), r.snapshot().metadata().meta());
        assertEquals(later.plus(Duration.ofDays(7)), r.snapshot().expires());
        assertEquals(later.plus(Duration.ofDays(1)), r.timestamp().expires());
        assertEquals(MetaFile.describing(3, r.snapshot().bytes()), r.timestamp().metadata().snapshotMeta());
        assertSame(s.delegated().get(BIN), r.delegated().get(BIN));
    }

    @Test
    void expiryTimerResignsExactlyTheRolesAboutToExpire() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        Keyring keys = repo.online();
        // Nothing expires within the next hour: nothing is signed.
        assertFalse(Publisher.refreshExpiring(s, T0.plus(Duration.ofHours(1)), keys, repo.expiries, T0).changed());
        // Timestamp (1 day) expires within 2 days, snapshot (7 days) does not.
        Instant day = T0.plus(Duration.ofHours(23));
        Publication p1 = Publisher.refreshExpiring(s, day.plus(Duration.ofDays(1)), keys, repo.expiries, day);
        assertEquals(List.of("timestamp"), p1.changedRoles());
        // Six days on, snapshot expires within 2 days too.
        Instant week = T0.plus(Duration.ofDays(6));
        Publication p2 = Publisher.refreshExpiring(p1.state(), week.plus(Duration.ofDays(2)), keys, repo.expiries, week);
        assertEquals(List.of("snapshot", "timestamp"), p2.changedRoles());
        // 89 days on, every bin (90 days) expires: all re-signed, root (offline) and top-level targets are not due.
        Instant quarter = T0.plus(Duration.ofDays(89));
        Publication p3 = Publisher.refreshExpiring(p2.state(), quarter.plus(Duration.ofDays(2)), keys, repo.expiries, quarter);
        assertEquals(256 + 2, p3.files().size());
        assertFalse(p3.changedRoles().contains("targets"));
        assertFalse(p3.changedRoles().contains("root"));
        assertEquals(Set.of(), p3.state().expiringBefore(quarter.plus(Duration.ofHours(12))));
        assertEquals(quarter.plus(Duration.ofDays(90)), p3.state().delegated().get(BIN).expires());
        assertEquals(3, p3.state().delegated().get(BIN).version());
        assertEquals(2, p3.state().delegated().get("releases-00").version());
    }

    @Test
    void signingWithAKeyTheRoleDoesNotAuthoriseIsRefused() {
        Keyring swapped = Keyring.online(List.of(repo.onlineKey), List.of(repo.timestampKey), List.of(repo.timestampKey));
        SigningKeyNotAuthorisedException e = assertThrows(SigningKeyNotAuthorisedException.class,
                () -> Publisher.publish(repo.state(), List.of(TargetChange.add(PATH, file("one"))), swapped, repo.expiries, T0));
        assertEquals("snapshot", e.role());
        assertEquals(repo.timestampKey.keyId(), e.keyId());
    }

    @Test
    void signingWithFewerKeysThanTheThresholdIsRefused() {
        Keyring noBinKey = Keyring.online(List.of(), List.of(repo.snapshotKey), List.of(repo.timestampKey));
        InsufficientSigningKeysException e = assertThrows(InsufficientSigningKeysException.class,
                () -> Publisher.publish(repo.state(), List.of(TargetChange.add(PATH, file("one"))), noBinKey, repo.expiries, T0));
        assertEquals(BIN, e.role());
        assertEquals(1, e.threshold());
        assertEquals(Set.of(repo.onlineKey.keyId()), e.authorisedKeyIds());
        assertEquals(Set.of(), e.offeredKeyIds());
    }

    @Test
    void pathRoleRepositoryListsTargetsInTheDelegatedRole() {
        TestRepository classic = TestRepository.withPathRole("releases", "firmware/*/*", "images/*");
        assertEquals(List.of("1.root.json", "1.releases.json", "1.targets.json", "1.snapshot.json", "timestamp.json"),
                classic.created.files().stream().map(MetadataFile::fileName).toList());
        Publication p = Publisher.publish(classic.state(), List.of(TargetChange.add(PATH, file("one"))),
                classic.online(), classic.expiries, T0);
        assertEquals(List.of("2.releases.json", "2.snapshot.json", "timestamp.json"),
                p.files().stream().map(MetadataFile::fileName).toList());
        assertEquals(Optional.of(file("one")), p.state().target(PATH));
        assertTrue(TestRepository.verifyStored(p.files().get(0), Targets.class,
                TestRepository.delegatedKeys(p.state(), "releases")).thresholdMet());
    }

    @Test
    void targetOutsideEveryDelegatedPathIsRefused() {
        TestRepository classic = TestRepository.withPathRole("releases", "firmware/*/*");
        NoDelegationForTargetException e = assertThrows(NoDelegationForTargetException.class,
                () -> Publisher.publish(classic.state(), List.of(TargetChange.add("docs/readme.txt", file("x"))),
                        classic.online(), classic.expiries, T0));
        assertEquals("docs/readme.txt", e.path());
    }

    @Test
    void resigningTopLevelTargetsNeedsTheTargetsKey() {
        RepositoryState s = repo.state();
        assertThrows(InsufficientSigningKeysException.class,
                () -> Publisher.resign(s, List.of("targets"), repo.online(), repo.expiries, T0));
        Publication p = Publisher.resign(s, List.of("targets"), repo.online().withTargets(List.of(repo.targetsKey)),
                repo.expiries, T0.plus(Duration.ofDays(300)));
        assertEquals(List.of("2.targets.json", "2.snapshot.json", "timestamp.json"),
                p.files().stream().map(MetadataFile::fileName).toList());
        assertEquals(s.targets().metadata().delegations(), p.state().targets().metadata().delegations());
    }

    @Test
    void resigningARoleThatDoesNotExistIsRefused() {
        assertThrows(dev.ota.tuf.UnknownRoleException.class,
                () -> Publisher.resign(repo.state(), List.of("releases-zz"), repo.online(), repo.expiries, T0));
    }

    @Test
    void storedFilesLoadBackIntoTheSameStateAndPublishingContinuesFromThem() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        RepositoryState loaded = load(s, Map.of());
        assertEquals(s.files(), loaded.files());
        Publication p = add(loaded, "images/gateway.img", file("gw"), T0);
        assertEquals(3, p.state().snapshot().version());
    }

    @Test
    void loadingFilesWhoseBinDoesNotMatchSnapshotIsRefused() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        // A bin file from another publish with the same version: snapshot's hash tells them apart.
        RepositoryState other = add(repo.state(), PATH, file("other"), T0).state();
        InconsistentRepositoryException e = assertThrows(InconsistentRepositoryException.class,
                () -> load(s, Map.of(BIN, other.delegated().get(BIN).bytes())));
        assertEquals("snapshot", e.role());
    }

    @Test
    void stateMissingABinIsRefused() {
        RepositoryState s = repo.state();
        Map<String, RoleFile<Targets>> fewer = new java.util.HashMap<>(s.delegated());
        fewer.remove(BIN);
        assertThrows(InconsistentRepositoryException.class,
                () -> new RepositoryState(s.root(), s.targets(), fewer, s.snapshot(), s.timestamp()));
    }

    @Test
    void everyRoleOfAPublishedStateVerifiesAgainstTheKeysItsRootAndTargetsAuthorise() {
        RepositoryState s = add(repo.state(), PATH, file("one"), T0).state();
        List<dev.ota.tuf.crypto.VerificationResult> results = s.verifySignatures();
        assertEquals(1 + 256 + 3, results.size());
        for (dev.ota.tuf.crypto.VerificationResult r : results) assertTrue(r.thresholdMet(), r.role());
    }

    @Test
    void aBinSignedByAnUnauthorisedKeyShowsUpInTheSignatureCheck() {
        RepositoryState s = repo.state();
        RoleFile<Targets> forged = RoleFile.of(BIN, dev.ota.tuf.crypto.Signing.sign(s.delegated().get(BIN).metadata(),
                List.of(dev.ota.tuf.crypto.SigningKey.generate())));
        Map<String, RoleFile<Targets>> bins = new java.util.HashMap<>(s.delegated());
        bins.put(BIN, forged);
        RepositoryState tampered = new RepositoryState(s.root(), s.targets(), bins, s.snapshot(), s.timestamp());
        List<String> failing = tampered.verifySignatures().stream().filter(r -> !r.thresholdMet())
                .map(dev.ota.tuf.crypto.VerificationResult::role).toList();
        assertEquals(List.of(BIN), failing);
    }

    private static RepositoryState load(RepositoryState s, Map<String, Bytes> replacements) {
        Map<String, Bytes> bins = new java.util.HashMap<>();
        s.delegated().forEach((name, f) -> bins.put(name, f.bytes()));
        bins.putAll(replacements);
        return RepositoryState.load(s.root().bytes(), s.targets().bytes(), bins, s.snapshot().bytes(), s.timestamp().bytes());
    }
}
