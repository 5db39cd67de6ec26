package dev.ota.tuf.client;

import dev.ota.tuf.ExpiredMetadataException;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Indefinite freeze attack (tuf-checklist.md): a mirror keeps serving old, validly signed metadata so the device
 * never learns about updates. Every role expires, checked against the time the refresh started.
 */
class FreezeAttackTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final Instant ONE_DAY_LATER = T0.plus(Duration.ofDays(1));
    static final Instant TWO_DAYS_LATER = T0.plus(Duration.ofDays(2));

    @TempDir
    Path work;

    @Test
    void rejectsExpiredTimestamp() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt(TIMESTAMP, ONE_DAY_LATER);
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        // Two days on, the mirror still serves the same timestamp.
        ExpiredMetadataException e = client.rejects(ExpiredMetadataException.class, () -> client.refreshAt(TWO_DAYS_LATER));

        assertEquals(TIMESTAMP, e.role());
        assertEquals(ONE_DAY_LATER, e.expires());
        assertEquals(TWO_DAYS_LATER, e.referenceTime());
    }

    @Test
    void rejectsExpiredTimestampOnFirstUse() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt(TIMESTAMP, ONE_DAY_LATER);
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);

        ExpiredMetadataException e = client.rejects(ExpiredMetadataException.class, () -> client.refreshAt(TWO_DAYS_LATER));

        assertEquals(TIMESTAMP, e.role());
        assertEquals(ONE_DAY_LATER, e.expires());
        assertEquals(TWO_DAYS_LATER, e.referenceTime());
    }

    @Test
    void rejectsTimestampExpiringAtTheVeryMomentTheRefreshStarts() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt(TIMESTAMP, ONE_DAY_LATER);
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);

        ExpiredMetadataException e = client.rejects(ExpiredMetadataException.class, () -> client.refreshAt(ONE_DAY_LATER));

        assertEquals(TIMESTAMP, e.role());
        assertEquals(ONE_DAY_LATER, e.referenceTime());
    }

    @Test
    void rejectsExpiredSnapshot() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt(SNAPSHOT, ONE_DAY_LATER);
        repo.publishSnapshot();
        // The timestamp is re-signed every day, but the snapshot behind it is frozen.
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);

        ExpiredMetadataException e = client.rejectsAfterAccepting(ExpiredMetadataException.class,
                () -> client.refreshAt(TWO_DAYS_LATER), TIMESTAMP);

        assertEquals(SNAPSHOT, e.role());
        assertEquals(ONE_DAY_LATER, e.expires());
        assertEquals(TWO_DAYS_LATER, e.referenceTime());
    }

    @Test
    void rejectsExpiredTargets() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt(TARGETS, ONE_DAY_LATER);
        repo.addTarget("a.bin", new byte[] {1}).publish();
        TestClient client = TestClient.trusting(repo, work);

        ExpiredMetadataException e = client.rejectsAfterAccepting(ExpiredMetadataException.class,
                () -> client.refreshAt(TWO_DAYS_LATER), TIMESTAMP, SNAPSHOT);

        assertEquals(TARGETS, e.role());
        assertEquals(ONE_DAY_LATER, e.expires());
        assertEquals(TWO_DAYS_LATER, e.referenceTime());
    }

    @Test
    void rejectsExpiredDelegatedRole() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt("apps", ONE_DAY_LATER)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "apps/a.bin", new byte[] {1}).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refreshAt(TWO_DAYS_LATER);

        ExpiredMetadataException e = client.rejects(ExpiredMetadataException.class,
                () -> client.updater.findTarget("apps/a.bin"));

        assertEquals("apps", e.role());
        assertEquals(ONE_DAY_LATER, e.expires());
        assertEquals(TWO_DAYS_LATER, e.referenceTime());
    }

    @Test
    void rejectsExpiredRoot() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        Instant rootExpiry = T0.plus(Duration.ofDays(365)); // the simulator's default for root

        ExpiredMetadataException e = client.rejects(ExpiredMetadataException.class,
                () -> client.refreshAt(rootExpiry.plusSeconds(1)));

        assertEquals(ROOT, e.role());
        assertEquals(rootExpiry, e.expires());
    }

    @Test
    void rejectsExpiredFinalRootButKeepsItAsTheNewTrustedRoot() {
        RepositorySimulator repo = RepositorySimulator.create(T0).expireAt(ROOT, ONE_DAY_LATER);
        repo.publishRoot();
        TestClient client = TestClient.trusting(repo, work);

        // TUF 5.3.8 persists each accepted root before 5.3.10 checks that the final one has not expired.
        ExpiredMetadataException e = client.rejectsAfterAccepting(ExpiredMetadataException.class,
                () -> client.refreshAt(TWO_DAYS_LATER), ROOT);

        assertEquals(ROOT, e.role());
        assertEquals(ONE_DAY_LATER, e.expires());
        assertEquals(TWO_DAYS_LATER, e.referenceTime());
    }
}
