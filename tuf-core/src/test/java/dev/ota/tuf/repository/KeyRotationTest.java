package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ota.tuf.repository.TestRepository.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRotationTest {
    private final TestRepository repo = TestRepository.withBins("releases", 2);
    private final Instant later = T0.plus(Duration.ofDays(3));

    private Keyring embedded(SigningKey snapshot, SigningKey timestamp, SigningKey delegated) {
        return new Keyring(List.of(repo.rootKey), List.of(repo.targetsKey), List.of(snapshot), List.of(timestamp),
                List.of(delegated));
    }

    @Test
    void rotatingTheSnapshotKeyPublishesARootWithTheNewKeyOnlyAndSnapshotSignedByIt() {
        SigningKey fresh = SigningKey.generate();
        Publication p = KeyRotation.rotateTopLevel(repo.state(), "snapshot", repo.snapshotKey.keyId(), fresh.publicKey(),
                embedded(fresh, repo.timestampKey, repo.onlineKey), repo.expiries, later);

        assertEquals(List.of("2.root.json", "2.snapshot.json", "timestamp.json"),
                p.files().stream().map(MetadataFile::fileName).toList());
        Root root = p.state().root().metadata();
        assertEquals(List.of(fresh.keyId()), root.role("snapshot").keyIds());
        assertFalse(root.keys().containsKey(repo.snapshotKey.keyId()), "the old snapshot key is no longer listed");
        Root old = repo.state().root().metadata();
        assertTrue(TestRepository.verifyStored(p.files().get(0), Root.class, RoleKeys.ofTopLevel(old, "root")).thresholdMet());
        assertTrue(TestRepository.verifyStored(p.files().get(1), Snapshot.class, RoleKeys.ofTopLevel(root, "snapshot"))
                .thresholdMet());
        assertTrue(TestRepository.verifyStored(p.files().get(2), Timestamp.class, RoleKeys.ofTopLevel(root, "timestamp"))
                .thresholdMet());
    }

    @Test
    void rotatingTheTimestampKeyReSignsOnlyRootAndTimestamp() {
        SigningKey fresh = SigningKey.generate();
        Publication p = KeyRotation.rotateTopLevel(repo.state(), "timestamp", repo.timestampKey.keyId(), fresh.publicKey(),
                embedded(repo.snapshotKey, fresh, repo.onlineKey), repo.expiries, later);

        assertEquals(List.of("2.root.json", "timestamp.json"), p.files().stream().map(MetadataFile::fileName).toList());
        assertEquals(List.of(fresh.keyId()), p.state().root().metadata().role("timestamp").keyIds());
        assertEquals(2, p.state().timestamp().version());
    }

    @Test
    void rotatingWithoutTheRootKeysIsRefusedAndNothingIsSigned() {
        SigningKey fresh = SigningKey.generate();
        Keyring online = Keyring.online(List.of(repo.onlineKey), List.of(fresh), List.of(repo.timestampKey));
        assertThrows(InsufficientSigningKeysException.class, () -> KeyRotation.rotateTopLevel(repo.state(), "snapshot",
                repo.snapshotKey.keyId(), fresh.publicKey(), online, repo.expiries, later));
    }

    @Test
    void rotatingAKeyTheRoleDoesNotListIsRefused() {
        SigningKey fresh = SigningKey.generate();
        assertThrows(IllegalArgumentException.class, () -> KeyRotation.rotateTopLevel(repo.state(), "snapshot",
                repo.timestampKey.keyId(), fresh.publicKey(), embedded(fresh, repo.timestampKey, repo.onlineKey),
                repo.expiries, later));
    }

    @Test
    void rotatingTheBinsKeyChangesTargetsDelegationsAndReSignsEveryBinUnderTheNewKey() {
        SigningKey fresh = SigningKey.generate();
        Publication p = KeyRotation.rotateDelegated(repo.state(), repo.onlineKey.keyId(), fresh.publicKey(),
                embedded(repo.snapshotKey, repo.timestampKey, fresh), repo.expiries, later);

        RepositoryState s = p.state();
        assertEquals(root(repo.state()), root(s), "root does not change");
        assertEquals(2, s.targets().version());
        Map<String, Long> versions = new HashMap<>();
        s.delegated().forEach((name, f) -> versions.put(name, f.version()));
        assertEquals(Map.of("releases-0", 2L, "releases-1", 2L, "releases-2", 2L, "releases-3", 2L), versions);
        RoleKeys binKeys = TestRepository.delegatedKeys(s, "releases-2");
        assertEquals(List.of(fresh.keyId()), binKeys.keyIds());
        for (MetadataFile f : p.files()) {
            if (f.role().startsWith("releases-")) {
                assertTrue(TestRepository.verifyStored(f, Targets.class, binKeys).thresholdMet(), f.fileName());
            }
        }
    }

    @Test
    void rotatingTheBinsKeyWithoutTheTargetsKeyIsRefused() {
        SigningKey fresh = SigningKey.generate();
        Keyring online = Keyring.online(List.of(fresh), List.of(repo.snapshotKey), List.of(repo.timestampKey));
        assertThrows(RepositoryEditException.class, () -> KeyRotation.rotateDelegated(repo.state(), repo.onlineKey.keyId(),
                fresh.publicKey(), online, repo.expiries, later));
    }

    private static long root(RepositoryState s) {
        return s.root().version();
    }
}
