package dev.ota.tuf.trust;

import dev.ota.tuf.ExpiredMetadataException;
import dev.ota.tuf.LengthOrHashMismatchException;
import dev.ota.tuf.RollbackAttackException;
import dev.ota.tuf.ThresholdNotMetException;
import dev.ota.tuf.UnknownRoleException;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Timestamp;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import dev.ota.tuf.testing.TestKeys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trusted metadata set as a pure state machine: load order enforced as state, "same version" as a value,
 * intermediate metadata that guards against rollback but carries nothing, hashes checked before parsing.
 */
class TrustedMetadataSetTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");

    private static TrustedMetadataSet trusting(RepositorySimulator repo) {
        return new TrustedMetadataSet(repo.initialRoot(), T0);
    }

    @Test
    void refusesCallsOutOfWorkflowOrder() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publishRoot();
        TrustedMetadataSet set = trusting(repo);

        assertThrows(IllegalStateException.class, () -> set.updateSnapshot(repo.published(SNAPSHOT, 1), false));
        assertThrows(IllegalStateException.class, () -> set.updateTargets(repo.published(TARGETS, 1)));
        set.updateTimestamp(repo.published(TIMESTAMP, 1));
        assertThrows(IllegalStateException.class, () -> set.updateRoot(repo.published(ROOT, 2)), "root after timestamp");
        set.updateSnapshot(repo.published(SNAPSHOT, 1), false);
        assertThrows(IllegalStateException.class, () -> set.updateTimestamp(repo.published(TIMESTAMP, 1)), "timestamp after snapshot");
        set.updateTargets(repo.published(TARGETS, 1));
        assertThrows(IllegalStateException.class, () -> set.updateSnapshot(repo.published(SNAPSHOT, 1), false), "snapshot after targets");
    }

    @Test
    void refusesADelegatedRoleBeforeItsDelegator() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*")).publish();
        TrustedMetadataSet set = trusting(repo);
        set.updateTimestamp(repo.published(TIMESTAMP, 2));
        set.updateSnapshot(repo.published(SNAPSHOT, 2), false);

        assertThrows(IllegalStateException.class, () -> set.updateDelegatedTargets(repo.published("apps", 1), "apps", TARGETS));
    }

    @Test
    void rejectsARoleTheDelegatorDoesNotDelegate() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .delegate("apps", Delegation.forPaths("team", "apps/*")).publish();
        TrustedMetadataSet set = trusting(repo);
        set.updateTimestamp(repo.published(TIMESTAMP, 2));
        set.updateSnapshot(repo.published(SNAPSHOT, 2), false);
        set.updateTargets(repo.published(TARGETS, 2));

        // "team" is listed in snapshot, but targets does not delegate it: only apps does.
        UnknownRoleException e = assertThrows(UnknownRoleException.class,
                () -> set.updateDelegatedTargets(repo.published("team", 1), "team", TARGETS));

        assertEquals("team", e.role());
        assertTrue(set.targets("team").isEmpty());
    }

    /** "a" and "b" both delegate "shared"; only the key "a" names signs it, so it is valid through "a" alone. */
    private static TrustedMetadataSet loadedUpToAAndB(RepositorySimulator repo) {
        TrustedMetadataSet set = trusting(repo);
        set.updateTimestamp(repo.published(TIMESTAMP, 2));
        set.updateSnapshot(repo.published(SNAPSHOT, 2), false);
        set.updateTargets(repo.published(TARGETS, 2));
        set.updateDelegatedTargets(repo.published("a", 1), "a", TARGETS);
        set.updateDelegatedTargets(repo.published("b", 1), "b", TARGETS);
        return set;
    }

    @Test
    void trustsADelegatedRoleOnlyThroughTheDelegatorsWhoseKeysSignedIt() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("a", "*"))
                .delegate(TARGETS, Delegation.forPaths("b", "*"))
                .delegate("a", Delegation.forPaths("shared", "*"))
                .delegate("b", Delegation.forPaths("shared", "*").keys(TestKeys.ed25519("b's key for shared")))
                .signers("shared", TestKeys.ed25519("delegated role shared")).publish();
        TrustedMetadataSet set = loadedUpToAAndB(repo);
        set.updateDelegatedTargets(repo.published("shared", 1), "shared", "a");

        ThresholdNotMetException e = assertThrows(ThresholdNotMetException.class,
                () -> set.updateDelegatedTargets(repo.published("shared", 1), "shared", "b"));

        assertEquals("shared", e.role());
        assertEquals(Set.of(TestKeys.ed25519("b's key for shared").keyId()), e.missingKeyIds());
        assertTrue(set.targets("shared", "a").isPresent());
        assertTrue(set.targets("shared", "b").isEmpty(), "valid through a is not valid through b");
    }

    @Test
    void rejectsOtherBytesForADelegatedRoleAlreadyAcceptedInThisRefresh() {
        // Without hashes in snapshot, two files can claim the listed version; both delegators authorise the key.
        RepositorySimulator repo = RepositorySimulator.create(T0).metaHashesAndLengths(false)
                .delegate(TARGETS, Delegation.forPaths("a", "*"))
                .delegate(TARGETS, Delegation.forPaths("b", "*"))
                .delegate("a", Delegation.forPaths("shared", "*"))
                .delegate("b", Delegation.forPaths("shared", "*")).publish();
        TrustedMetadataSet set = loadedUpToAAndB(repo);
        Signed<dev.ota.tuf.metadata.Targets> accepted = set.updateDelegatedTargets(repo.published("shared", 1), "shared", "a");
        byte[] other = repo.modifyAndResign("shared", at("x-note").set("another file, same version"));

        LengthOrHashMismatchException e = assertThrows(LengthOrHashMismatchException.class,
                () -> set.updateDelegatedTargets(other, "shared", "b"));

        assertEquals("shared.json", e.subject());
        assertTrue(set.targets("shared", "b").isEmpty());
        assertSame(accepted, set.targets("shared").orElseThrow());
    }

    @Test
    void keepsTheTrustedTimestampWhenTheOfferedOneHasTheSameVersion() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TrustedMetadataSet set = trusting(repo);
        set.updateTimestamp(repo.published(TIMESTAMP, 1));
        Signed<Timestamp> trusted = set.timestamp().orElseThrow();
        // Same version, different bytes (an extra signed field): still "nothing new".
        byte[] sameVersion = repo.modifyAndResign(TIMESTAMP, at("x-note").set("re-signed"));

        UpdateOutcome outcome = set.updateTimestamp(sameVersion);

        assertEquals(UpdateOutcome.UNCHANGED, outcome);
        assertSame(trusted, set.timestamp().orElseThrow());
    }

    @Test
    void expiredTimestampStillGuardsAgainstRollbackButCarriesNothing() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt(TIMESTAMP, T0.minus(Duration.ofDays(1)));
        repo.publishTimestamp(); // version 2, expired
        TrustedMetadataSet set = trusting(repo);
        set.updateTimestamp(repo.published(TIMESTAMP, 1));

        ExpiredMetadataException expired = assertThrows(ExpiredMetadataException.class, () -> set.updateTimestamp(repo.published(TIMESTAMP, 2)));
        assertEquals(TIMESTAMP, expired.role());
        assertEquals(2, set.timestamp().orElseThrow().signed().version(), "kept as intermediate");

        assertThrows(ExpiredMetadataException.class, () -> set.updateSnapshot(repo.published(SNAPSHOT, 1), false),
                "nothing is loaded on top of an expired timestamp");
        RollbackAttackException rollback = assertThrows(RollbackAttackException.class, () -> set.updateTimestamp(repo.published(TIMESTAMP, 1)));
        assertEquals(2, rollback.trustedVersion());
        assertEquals(1, rollback.offeredVersion());
    }

    @Test
    void checksSnapshotHashesBeforeParsingOrSignatures() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TrustedMetadataSet set = trusting(repo);
        set.updateTimestamp(repo.published(TIMESTAMP, 1));

        LengthOrHashMismatchException e = assertThrows(LengthOrHashMismatchException.class,
                () -> set.updateSnapshot("not even JSON".getBytes(StandardCharsets.UTF_8), false));

        assertEquals("snapshot.json", e.subject());
        assertTrue(set.snapshot().isEmpty());
    }

    @Test
    void trustsBytesFromItsOwnStoreWithoutTheListedHashes() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TrustedMetadataSet set = trusting(repo);
        set.updateTimestamp(repo.published(TIMESTAMP, 1));
        // A snapshot stored by an earlier refresh but laid out differently than served: the signature still decides.
        byte[] spaced = new String(repo.published(SNAPSHOT, 1), StandardCharsets.UTF_8).replace(",", ", ").getBytes(StandardCharsets.UTF_8);

        set.updateSnapshot(spaced, true);

        assertEquals(1, set.snapshot().orElseThrow().signed().version());
    }

    @Test
    void rejectsATrustedRootThatIsNotSignedByItsOwnKeys() {
        RepositorySimulator repo = RepositorySimulator.create(T0).rotateKeys(ROOT, TestKeys.ed25519("root-2"));
        repo.publishRootSignedBy(TestKeys.ed25519("root-1"));

        ThresholdNotMetException e = assertThrows(ThresholdNotMetException.class,
                () -> new TrustedMetadataSet(repo.published(ROOT, 2), T0));

        assertEquals(ROOT, e.role());
        assertEquals(Set.of(TestKeys.ed25519("root-2").keyId()), e.missingKeyIds());
    }
}
