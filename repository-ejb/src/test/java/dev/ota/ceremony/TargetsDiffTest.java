package dev.ota.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.ceremony.CeremonyViews.DelegationChange;
import dev.ota.ceremony.CeremonyViews.TargetsDiff;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.Targets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetsDiffTest {
    private final SigningKey release = SigningKey.generate();
    private final SigningKey rotated = SigningKey.generate();
    private final SigningKey supplier = SigningKey.generate();
    private final Instant t1 = Instant.parse("2031-01-01T00:00:00Z");
    private final Instant t2 = Instant.parse("2032-01-01T00:00:00Z");

    private static DelegatedRole role(String name, SigningKey key, String... paths) {
        return new DelegatedRole(name, List.of(key.keyId()), 1, true, Optional.of(List.of(paths)), Optional.empty(), Map.of());
    }

    private static Targets targets(long version, Instant expires, Map<String, SigningKey> keys, DelegatedRole... roles) {
        Map<String, dev.ota.tuf.metadata.Key> k = new java.util.LinkedHashMap<>();
        keys.values().forEach(s -> k.put(s.keyId(), s.publicKey()));
        return new Targets("1.0.31", version, expires, Map.of(), Optional.of(new Delegations(k, Optional.of(List.of(roles)),
                Optional.empty(), Map.of())), Map.of());
    }

    @Test
    void showsEachDelegationsKeysByIdAndHolderThresholdAndPathsAndTheExpiry() {
        Targets before = targets(4, t1, Map.of("r", release), role("releases", release, "firmware/*"));
        Targets after = targets(5, t2, Map.of("r", rotated, "s", supplier), role("releases", rotated, "firmware/*"),
                role("supplier", supplier, "supplier/*"));

        TargetsDiff d = TargetsDiffs.diff(before, after, Map.of(release.keyId(), "server", rotated.keyId(), "server"));

        assertEquals(4, d.versionBefore());
        assertEquals(5, d.versionAfter());
        assertEquals(t1, d.expiresBefore());
        assertEquals(t2, d.expiresAfter());
        DelegationChange releases = d.delegations().get(0);
        assertEquals("releases", releases.role());
        assertEquals(TargetsDiffs.CHANGED, releases.change());
        assertEquals(List.of(rotated.keyId()), releases.added().stream().map(CeremonyViews.CeremonyKey::keyId).toList());
        assertEquals(List.of(release.keyId()), releases.removed().stream().map(CeremonyViews.CeremonyKey::keyId).toList());
        assertEquals("server", releases.added().get(0).holder());
        DelegationChange added = d.delegations().get(1);
        assertEquals(TargetsDiffs.ADDED, added.change());
        assertEquals(List.of(), added.pathsBefore());
        assertEquals(List.of("supplier/*"), added.pathsAfter());
        assertEquals(ProposalSteps.UNKNOWN_HOLDER, added.added().get(0).holder());
    }

    @Test
    void aRemovedDelegationAndUnchangedHashBinsAreNamedAsSuch() {
        SuccinctRoles bins = new SuccinctRoles(List.of(release.keyId()), 1, 4, "releases", Map.of());
        Delegations d = new Delegations(Map.of(release.keyId(), release.publicKey()), Optional.empty(), Optional.of(bins),
                Map.of());
        Targets before = new Targets("1.0.31", 1, t1, Map.of(), Optional.of(d), Map.of());
        Targets after = new Targets("1.0.31", 2, t2, Map.of(), Optional.of(d), Map.of());
        Targets none = new Targets("1.0.31", 3, t2, Map.of(), Optional.empty(), Map.of());

        DelegationChange same = TargetsDiffs.diff(before, after, Map.of()).delegations().get(0);
        DelegationChange gone = TargetsDiffs.diff(after, none, Map.of()).delegations().get(0);

        assertEquals("releases-*", same.role());
        assertEquals(TargetsDiffs.UNCHANGED, same.change());
        assertEquals(List.of("all paths, by SHA-256 into 16 hash bins (4 bits)"), same.pathsAfter());
        assertEquals(TargetsDiffs.REMOVED, gone.change());
        assertEquals(List.of(release.keyId()), gone.removed().stream().map(CeremonyViews.CeremonyKey::keyId).toList());
    }
}
