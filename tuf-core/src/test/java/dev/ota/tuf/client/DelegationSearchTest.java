package dev.ota.tuf.client;

import dev.ota.tuf.ThresholdNotMetException;
import dev.ota.tuf.UnknownRoleException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import dev.ota.tuf.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Target search (TUF 5.7) and arbitrary installation (tuf-checklist.md): a target counts only if the delegation
 * search finds it in a role trusted for its path. Pre-order depth-first, each role once, at most
 * {@code maxDelegations} delegated roles, nothing below a terminating delegation, first match wins. Where the
 * search visits valid roles that do not list the target, storing them is correct, so those tests check what was
 * fetched; where no role may be visited at all, they check that nothing on disk changed.
 */
class DelegationSearchTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final byte[] GOOD = "good".getBytes(StandardCharsets.UTF_8);
    static final byte[] EVIL = "evil".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;

    private static String sha256(byte[] b) {
        return Bytes.of(b).sha256Hex();
    }

    private static List<String> delegatedRolesFetched(RepositorySimulator repo) {
        return repo.requestedPaths().stream()
                .filter(p -> p.startsWith("metadata/") && !p.matches("metadata/(\\d+\\.)?(root|timestamp|snapshot|targets)\\.json"))
                .toList();
    }

    @Test
    void findsTargetInADelegatedRole() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "apps/a.bin", GOOD).publish();
        TestClient client = TestClient.trusting(repo, work);

        TargetFile found = client.find("apps/a.bin");

        assertEquals(sha256(GOOD), found.hashes().get("sha256"));
    }

    @Test
    void honoursTerminatingDelegation() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("vendor", "fw/*").terminating())
                .delegate(TARGETS, Delegation.forPaths("mirror", "fw/*"))
                .addTarget("mirror", "fw/boot.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        TargetNotFoundException e = assertThrows(TargetNotFoundException.class, () -> client.updater.findTarget("fw/boot.bin"));

        assertEquals("fw/boot.bin", e.targetPath());
        assertEquals(List.of("metadata/1.vendor.json"), delegatedRolesFetched(repo), "nothing after the terminating role");
    }

    @Test
    void continuesPastANonTerminatingDelegation() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("vendor", "fw/*"))
                .delegate(TARGETS, Delegation.forPaths("mirror", "fw/*"))
                .addTarget("mirror", "fw/boot.bin", GOOD).publish();
        TestClient client = TestClient.trusting(repo, work);

        TargetFile found = client.find("fw/boot.bin");

        assertEquals(sha256(GOOD), found.hashes().get("sha256"));
        assertEquals(List.of("metadata/1.vendor.json", "metadata/1.mirror.json"), delegatedRolesFetched(repo));
    }

    @Test
    void terminatingDelegationStopsTheSearchBelowItOnly() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("vendor", "fw/*"))
                .delegate("vendor", Delegation.forPaths("team", "fw/*").terminating())
                .delegate("vendor", Delegation.forPaths("contractor", "fw/*"))
                .delegate(TARGETS, Delegation.forPaths("mirror", "fw/*"))
                .addTarget("contractor", "fw/boot.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        assertThrows(TargetNotFoundException.class, () -> client.updater.findTarget("fw/boot.bin"));

        assertEquals(List.of("metadata/1.vendor.json", "metadata/1.team.json"), delegatedRolesFetched(repo),
                "team's terminating delegation ends the whole search: neither contractor nor mirror is asked");
    }

    @Test
    void searchesDelegationsPreOrderDepthFirstAndTheFirstMatchWins() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("a", "fw/*"))
                .delegate("a", Delegation.forPaths("a-child", "fw/*"))
                .delegate(TARGETS, Delegation.forPaths("b", "fw/*"))
                .addTarget("a-child", "fw/x.bin", GOOD)
                .addTarget("b", "fw/x.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);

        TargetFile found = client.find("fw/x.bin");

        assertEquals(sha256(GOOD), found.hashes().get("sha256"), "a's child comes before a's sibling b");
        assertEquals(List.of("metadata/1.a.json", "metadata/1.a-child.json"), delegatedRolesFetched(repo));
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a search that revisits roles loops forever
    void visitsEachRoleOnlyOnceInADelegationCycle() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("a", "*"))
                .delegate("a", Delegation.forPaths("b", "*"))
                .delegate("b", Delegation.forPaths("a", "*")).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        assertThrows(TargetNotFoundException.class, () -> client.updater.findTarget("x.bin"));

        assertEquals(List.of("metadata/1.a.json", "metadata/1.b.json"), delegatedRolesFetched(repo));
    }

    @Test
    void stopsAtMaxDelegations() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        String parent = TARGETS;
        for (int i = 1; i <= 4; i++) {
            repo.delegate(parent, Delegation.forPaths("d" + i, "*"));
            parent = "d" + i;
        }
        repo.addTarget("d3", "in-d3.bin", GOOD).addTarget("d4", "in-d4.bin", GOOD).publish();
        TestClient client = TestClient.trusting(repo, work).with(UpdaterConfig.defaults().withMaxDelegations(3));
        client.refresh();

        assertThrows(TargetNotFoundException.class, () -> client.updater.findTarget("in-d4.bin"));

        // Like python-tuf: top-level targets plus at most maxDelegations delegated roles.
        assertEquals(List.of("metadata/1.d1.json", "metadata/1.d2.json", "metadata/1.d3.json"), delegatedRolesFetched(repo));
        assertEquals(sha256(GOOD), client.updater.findTarget("in-d3.bin").hashes().get("sha256"));
    }

    @Test
    void findsTargetInSuccinctHashBin() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegateToHashBins(TARGETS, "bin", 5);
        String bin = repo.hashBinFor(TARGETS, "fw/app.bin");
        repo.addTarget(bin, "fw/app.bin", GOOD).publish();
        TestClient client = TestClient.trusting(repo, work);

        TargetFile found = client.find("fw/app.bin");

        assertEquals(sha256(GOOD), found.hashes().get("sha256"));
        assertEquals(List.of("metadata/1." + bin + ".json"), delegatedRolesFetched(repo), "only the responsible bin");
        assertEquals(32 + 1, client.updater.trusted().snapshot().orElseThrow().signed().meta().size(), "every bin is listed");
    }

    @Test
    void ignoresTargetListedInTheWrongHashBin() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegateToHashBins(TARGETS, "bin", 2);
        String right = repo.hashBinFor(TARGETS, "fw/app.bin");
        String wrong = right.equals("bin-0") ? "bin-1" : "bin-0";
        repo.addTarget(wrong, "fw/app.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        assertThrows(TargetNotFoundException.class, () -> client.updater.findTarget("fw/app.bin"));

        assertEquals(List.of("metadata/1." + right + ".json"), delegatedRolesFetched(repo));
    }

    @Test
    void findsTargetByPathHashPrefix() {
        String path = "fw/app.bin";
        String hash = sha256(path.getBytes(StandardCharsets.UTF_8));
        String otherPrefix = hash.charAt(0) == '0' ? "1" : "0";
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forHashPrefixes("other", otherPrefix))
                .delegate(TARGETS, Delegation.forHashPrefixes("mine", hash.substring(0, 2)))
                .addTarget("other", path, EVIL)
                .addTarget("mine", path, GOOD).publish();
        TestClient client = TestClient.trusting(repo, work);

        TargetFile found = client.find(path);

        assertEquals(sha256(GOOD), found.hashes().get("sha256"));
        assertEquals(List.of("metadata/1.mine.json"), delegatedRolesFetched(repo));
    }

    @Test
    void rejectsTargetListedByARoleNotTrustedForItsPath() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "system/boot.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        TargetNotFoundException e = client.rejects(TargetNotFoundException.class, () -> client.updater.findTarget("system/boot.bin"));

        assertEquals("system/boot.bin", e.targetPath());
        assertEquals(List.of(), delegatedRolesFetched(repo));
    }

    @Test
    void rejectsTargetOutsideThePathsOfAnEarlierRoleOnTheChain() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .delegate("apps", Delegation.forPaths("sub", "system/*")) // wider than what apps may delegate
                .addTarget("sub", "system/boot.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        client.rejects(TargetNotFoundException.class, () -> client.updater.findTarget("system/boot.bin"));

        assertEquals(List.of(), delegatedRolesFetched(repo));
    }

    @Test
    void wildcardsInDelegatedPathsNeverMatchASlash() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*", "apps/?.bin"))
                .addTarget("apps", "apps/sub/x.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        client.rejects(TargetNotFoundException.class, () -> client.updater.findTarget("apps/sub/x.bin"));

        assertEquals(List.of(), delegatedRolesFetched(repo));
    }

    /**
     * One role name, two delegators: "a" delegates "shared" to the key that signs it, "b" delegates "shared" to a
     * key that never signed it. Through "a" the role is valid; through "b" it must not be, in the same process too.
     */
    private static RepositorySimulator sharedRoleSignedOnlyForA() {
        return RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("a", "a/*"))
                .delegate(TARGETS, Delegation.forPaths("b", "b/*"))
                .delegate("a", Delegation.forPaths("shared", "a/*"))
                .delegate("b", Delegation.forPaths("shared", "b/*").keys(TestKeys.ed25519("b's key for shared")))
                .signers("shared", TestKeys.ed25519("delegated role shared"))
                .addTarget("shared", "a/x.bin", GOOD)
                .addTarget("shared", "b/evil.bin", EVIL).publish();
    }

    @Test
    void rejectsARoleReachedThroughADelegatorWhoseKeysDidNotSignItAfterAnotherDelegatorTrustedIt() {
        RepositorySimulator repo = sharedRoleSignedOnlyForA();
        TestClient client = TestClient.trusting(repo, work);
        assertEquals(sha256(GOOD), client.find("a/x.bin").hashes().get("sha256"), "valid through a");

        ThresholdNotMetException e = assertThrows(ThresholdNotMetException.class, () -> client.updater.findTarget("b/evil.bin"));

        assertEquals("shared", e.role());
        assertEquals(1, e.threshold());
        assertEquals(Set.of(), e.validKeyIds());
        assertEquals(Set.of(TestKeys.ed25519("b's key for shared").keyId()), e.missingKeyIds());
    }

    @Test
    void rejectsARoleReachedThroughADelegatorWhoseKeysDidNotSignItInAFreshRefresh() {
        RepositorySimulator repo = sharedRoleSignedOnlyForA();
        TestClient client = TestClient.trusting(repo, work);
        client.find("a/x.bin");

        ThresholdNotMetException e = assertThrows(ThresholdNotMetException.class, () -> client.find("b/evil.bin"));

        assertEquals("shared", e.role());
    }

    @Test
    void trustsARoleThroughEveryDelegatorThatAuthorisesItsKeysWithoutFetchingItAgain() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("a", "a/*"))
                .delegate(TARGETS, Delegation.forPaths("b", "b/*"))
                .delegate("a", Delegation.forPaths("shared", "a/*"))
                .delegate("b", Delegation.forPaths("shared", "b/*"))
                .addTarget("shared", "a/x.bin", GOOD)
                .addTarget("shared", "b/y.bin", EVIL).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.find("a/x.bin");

        TargetFile throughB = client.updater.findTarget("b/y.bin");

        assertEquals(sha256(EVIL), throughB.hashes().get("sha256"));
        assertEquals(List.of("metadata/1.a.json", "metadata/1.shared.json", "metadata/1.b.json"), delegatedRolesFetched(repo),
                "shared, already verified once, is checked against b's keys from memory, not fetched again");
    }

    @Test
    void rejectsDelegatedRoleThatSnapshotDoesNotList() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "apps/a.bin", GOOD);
        repo.publishTargets(TARGETS);
        repo.publishTargets("apps");
        repo.publishSnapshot(at("meta", "apps.json").remove());
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        UnknownRoleException e = client.rejects(UnknownRoleException.class, () -> client.updater.findTarget("apps/a.bin"));

        assertEquals("apps", e.role());
        assertEquals(List.of(), delegatedRolesFetched(repo));
    }
}
