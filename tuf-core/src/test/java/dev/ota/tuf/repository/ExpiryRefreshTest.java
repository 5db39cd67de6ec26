package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.trust.TrustedMetadataSet;
import dev.ota.tuf.trust.UpdateOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.ota.tuf.repository.TestRepository.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server timer's refresh ({@link Publisher#refreshDue}) with the keys a server may or may not hold: it
 * re-signs whatever it can, leaves whatever it cannot, and never fails because an offline role is due.
 */
class ExpiryRefreshTest {
    private final TestRepository repo = TestRepository.withBins("releases", 4);
    /** 340 days on: root and top-level targets (365 days) are inside their 30-day margin; everything else expired. */
    private final Instant late = T0.plus(Duration.ofDays(340));

    @Test
    void dueRootAndTargetsWithoutTheirKeysAreLeftWhileBinsSnapshotAndTimestampAreResigned() {
        RepositoryState s = repo.state();
        assertEquals(Set.of("root", "targets", "snapshot", "timestamp"),
                s.dueForRefresh(late, repo.expiries).stream().filter(r -> !r.startsWith("releases-"))
                        .collect(java.util.stream.Collectors.toSet()));

        Publication p = Publisher.refreshDue(s, repo.online(), repo.expiries, late);

        assertFalse(p.changedRoles().contains("root"));
        assertFalse(p.changedRoles().contains("targets"));
        assertEquals(16 + 2, p.files().size(), "every bin, snapshot and timestamp");
        assertSame(s.root(), p.state().root());
        assertSame(s.targets(), p.state().targets());
        assertEquals(Set.of("root", "targets"), p.state().dueForRefresh(late, repo.expiries));
        assertEquals(late.plus(Duration.ofDays(90)), p.state().delegated().get("releases-0").expires());
        assertEquals(late.plus(Duration.ofDays(1)), p.state().timestamp().expires());
    }

    @Test
    void withTheTargetsKeyTopLevelTargetsIsResignedAndTheNewSnapshotListsItsNewVersion() {
        RepositoryState s = repo.state();
        Keyring keys = repo.online().withTargets(List.of(repo.targetsKey));

        Publication p = Publisher.refreshDue(s, keys, repo.expiries, late);

        RepositoryState r = p.state();
        assertFalse(p.changedRoles().contains("root"), "the root key is still offline");
        assertEquals(2, r.targets().version());
        assertEquals(late.plus(Duration.ofDays(365)), r.targets().expires());
        assertEquals(s.targets().metadata().delegations(), r.targets().metadata().delegations());
        MetaFile listed = r.snapshot().metadata().metaFor("targets");
        assertEquals(MetaFile.describing(2, r.targets().bytes()), listed);
        assertEquals(r.snapshot().version(), r.timestamp().metadata().snapshotMeta().version());
        MetadataFile stored = p.files().stream().filter(f -> f.role().equals("targets")).findFirst().orElseThrow();
        assertEquals("2.targets.json", stored.fileName());
        assertTrue(TestRepository.verifyStored(stored, Targets.class,
                RoleKeys.ofTopLevel(r.root().metadata(), "targets")).thresholdMet());
    }

    @Test
    void embeddedRefreshPublishesRootNPlusOneThatAClientTrustingRootNAcceptsAfterNExpired() {
        RepositoryState s = repo.state();
        byte[] rootV1 = s.root().bytes().toArray();
        // Half a day before root 1 expires (the timer would have renewed it 30 days earlier; any time in the
        // margin works the same), so that the client below can check after root 1 expired.
        Instant late = T0.plus(Duration.ofDays(365)).minus(Duration.ofHours(12));

        Publication p = Publisher.refreshDue(s, repo.config.keyring(), repo.expiries, late);

        assertEquals("2.root.json", p.files().get(0).fileName(), "root first, in publish order");
        assertEquals("timestamp.json", p.files().get(p.files().size() - 1).fileName());
        RepositoryState r = p.state();
        Root old = s.root().metadata();
        Root renewed = r.root().metadata();
        assertEquals(2, renewed.version());
        assertEquals(late.plus(Duration.ofDays(365)), renewed.expires());
        assertEquals(old.keys(), renewed.keys());
        assertEquals(old.roles(), renewed.roles());
        assertEquals(Set.of(), r.dueForRefresh(late, repo.expiries));

        // A client that shipped with root 1 refreshes after root 1 expired: TUF 5.3 walks to root 2.
        TrustedMetadataSet client = new TrustedMetadataSet(rootV1, T0.plus(Duration.ofDays(365)).plus(Duration.ofHours(1)));
        client.updateRoot(bytes(p, "2.root.json"));
        assertEquals(UpdateOutcome.UPDATED, client.updateTimestamp(bytes(p, "timestamp.json")));
        client.updateSnapshot(bytes(p, r.snapshot().version() + ".snapshot.json"), false);
        assertEquals(2, client.updateTargets(bytes(p, "2.targets.json")).signed().version());
    }

    @Test
    void withoutTheSnapshotKeyOnlyTheTimestampIsResignedAndDueBinsAreLeft() {
        RepositoryState s = repo.state();
        Keyring noSnapshot = Keyring.online(List.of(repo.onlineKey), List.of(), List.of(repo.timestampKey));

        Publication p = Publisher.refreshDue(s, noSnapshot, repo.expiries, late);

        assertEquals(List.of("timestamp"), p.changedRoles());
        assertSame(s.snapshot(), p.state().snapshot());
        assertSame(s.delegated().get("releases-0"), p.state().delegated().get("releases-0"));
    }

    @Test
    void withoutTheTimestampKeyNothingButRootIsSigned() {
        Keyring noTimestamp = new Keyring(List.of(repo.rootKey), List.of(repo.targetsKey), List.of(repo.snapshotKey),
                List.of(), List.of(repo.onlineKey));

        Publication p = Publisher.refreshDue(repo.state(), noTimestamp, repo.expiries, late);

        assertEquals(List.of("root"), p.changedRoles());
    }

    @Test
    void aHeldKeyTheRoleNoLongerAuthorisesMeansTheServerCannotSignIt() {
        RepositoryState s = repo.state();
        SigningKey retired = SigningKey.generate();
        assertTrue(repo.config.keyring().canSign(s, "root"));
        assertFalse(repo.online().canSign(s, "root"));
        assertFalse(repo.config.keyring().withTargets(List.of(repo.targetsKey, retired)).canSign(s, "targets"));
        assertTrue(repo.online().canSign(s, "releases-a"));
        assertFalse(repo.online().canSign(s, "releases-zz"), "not a delegated role");

        Publication p = Publisher.refreshDue(s, repo.online().withTargets(List.of(retired)), repo.expiries, late);
        assertFalse(p.changedRoles().contains("targets"));
    }

    @Test
    void marginIsTheEarlierOfThirtyDaysOrHalfTheValidityForRootAndTargetsAndHalfTheTimestampForOnlineRoles() {
        Expiries d = Expiries.defaults();
        assertEquals(Duration.ofDays(30), d.refreshMargin("root"));
        assertEquals(Duration.ofDays(30), d.refreshMargin("targets"));
        assertEquals(Duration.ofHours(12), d.refreshMargin("snapshot"));
        assertEquals(Duration.ofHours(12), d.refreshMargin("timestamp"));
        assertEquals(Duration.ofHours(12), d.refreshMargin("releases-07"));
        Expiries shortLived = new Expiries(Duration.ofSeconds(40), Duration.ofSeconds(30), Duration.ofDays(90),
                Duration.ofDays(7), Duration.ofSeconds(20));
        assertEquals(Duration.ofSeconds(20), shortLived.refreshMargin("root"));
        assertEquals(Duration.ofSeconds(15), shortLived.refreshMargin("targets"));
        assertEquals(Duration.ofSeconds(10), shortLived.refreshMargin("snapshot"));
    }

    @Test
    void nothingIsDueRightAfterARefreshSoTheNextCheckSignsNothing() {
        Publication p = Publisher.refreshDue(repo.state(), repo.config.keyring(), repo.expiries, late);
        assertFalse(Publisher.refreshDue(p.state(), repo.config.keyring(), repo.expiries, late.plusSeconds(60)).changed());
    }

    private static byte[] bytes(Publication p, String fileName) {
        return p.files().stream().filter(f -> f.fileName().equals(fileName)).findFirst().orElseThrow()
                .bytes().toArray();
    }
}
