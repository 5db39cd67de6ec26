package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Timestamp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.ota.tuf.repository.TestRepository.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootRotationTest {
    private final TestRepository repo = TestRepository.withBins("releases", 4);
    private final Instant later = T0.plus(Duration.ofDays(30));

    @Test
    void rotatedRootIsVersionNPlusOneSignedByThresholdsOfBothOldAndNewRootKeys() {
        SigningKey newRootKey = SigningKey.generate();
        RepositoryState s = repo.state();
        Root old = s.root().metadata();
        Publication p = RootRotation.rotate(s, r -> RootRotation.withRoleKeys(r, "root", List.of(newRootKey.publicKey()), 1),
                List.of(repo.rootKey), List.of(newRootKey), repo.expiries, later);

        assertEquals(List.of("2.root.json"), p.files().stream().map(MetadataFile::fileName).toList());
        Root rotated = p.state().root().metadata();
        assertEquals(2, rotated.version());
        assertEquals(later.plus(Duration.ofDays(365)), rotated.expires());
        assertEquals(List.of(newRootKey.keyId()), rotated.role("root").keyIds());
        assertFalse(rotated.keys().containsKey(repo.rootKey.keyId()), "the retired root key is no longer listed");
        // TUF 5.3.4: a client accepts root N+1 only if both N's and N+1's root roles reach their thresholds.
        MetadataFile stored = p.files().get(0);
        assertTrue(TestRepository.verifyStored(stored, Root.class, RoleKeys.ofTopLevel(old, "root")).thresholdMet());
        assertTrue(TestRepository.verifyStored(stored, Root.class, RoleKeys.ofTopLevel(rotated, "root")).thresholdMet());
        assertSame(s.snapshot(), p.state().snapshot());
    }

    @Test
    void rotationWithoutAThresholdOfTheOldRootKeysIsRefused() {
        SigningKey a1 = SigningKey.generate();
        SigningKey a2 = SigningKey.generate();
        SigningKey b = SigningKey.generate();
        RepositoryConfig twoOfTwo = new RepositoryConfig(new RoleKeySet(List.of(a1, a2), 2), RoleKeySet.of(repo.targetsKey),
                RoleKeySet.of(repo.snapshotKey), RoleKeySet.of(repo.timestampKey), RoleKeySet.of(repo.onlineKey),
                Delegation.hashBins("releases"), repo.expiries);
        RepositoryState s = Publisher.create(twoOfTwo, T0).state();
        InsufficientSigningKeysException e = assertThrows(InsufficientSigningKeysException.class,
                () -> RootRotation.rotate(s, r -> RootRotation.withRoleKeys(r, "root", List.of(b.publicKey()), 1),
                        List.of(a1), List.of(b), repo.expiries, later));
        assertEquals("root", e.role());
        assertEquals(2, e.threshold());
        assertEquals(Set.of(a1.keyId(), a2.keyId()), e.authorisedKeyIds());
        assertEquals(Set.of(a1.keyId()), e.offeredKeyIds());
    }

    @Test
    void rotationWithoutTheNewRootKeysIsRefused() {
        SigningKey b = SigningKey.generate();
        InsufficientSigningKeysException e = assertThrows(InsufficientSigningKeysException.class,
                () -> RootRotation.rotate(repo.state(), r -> RootRotation.withRoleKeys(r, "root", List.of(b.publicKey()), 1),
                        List.of(repo.rootKey), List.of(), repo.expiries, later));
        assertEquals(Set.of(b.keyId()), e.authorisedKeyIds());
    }

    @Test
    void signingTheNewRootWithAKeyItDoesNotAuthoriseIsRefused() {
        SigningKey b = SigningKey.generate();
        SigningKeyNotAuthorisedException e = assertThrows(SigningKeyNotAuthorisedException.class,
                () -> RootRotation.rotate(repo.state(), r -> RootRotation.withRoleKeys(r, "root", List.of(b.publicKey()), 1),
                        List.of(repo.rootKey), List.of(repo.rootKey, b), repo.expiries, later));
        assertEquals(repo.rootKey.keyId(), e.keyId());
    }

    @Test
    void keyRotationOfTimestampIsPublishedWithSnapshotAndTimestampUnderTheNewKey() {
        SigningKey newTimestampKey = SigningKey.generate();
        RepositoryState s = repo.state();
        Publication rotation = RootRotation.rotate(s,
                r -> RootRotation.withRoleKeys(r, "timestamp", List.of(newTimestampKey.publicKey()), 1),
                List.of(repo.rootKey), List.of(repo.rootKey), repo.expiries, later);
        // The retired key can no longer sign timestamp once the new root is the state's root.
        assertThrows(SigningKeyNotAuthorisedException.class,
                () -> Publisher.refreshSnapshot(rotation.state(), repo.online(), repo.expiries, later));
        Keyring newKeys = Keyring.online(List.of(repo.onlineKey), List.of(repo.snapshotKey), List.of(newTimestampKey));
        Publication all = rotation.followedBy(Publisher.refreshSnapshot(rotation.state(), newKeys, repo.expiries, later));

        assertEquals(List.of("2.root.json", "2.snapshot.json", "timestamp.json"),
                all.files().stream().map(MetadataFile::fileName).toList());
        Root newRoot = all.state().root().metadata();
        MetadataFile ts = all.files().get(2);
        assertTrue(TestRepository.verifyStored(ts, Timestamp.class, RoleKeys.ofTopLevel(newRoot, "timestamp")).thresholdMet());
        assertFalse(TestRepository.verifyStored(ts, Timestamp.class, RoleKeys.ofTopLevel(s.root().metadata(), "timestamp")).thresholdMet());
        assertFalse(newRoot.keys().containsKey(repo.timestampKey.keyId()));
    }
}
