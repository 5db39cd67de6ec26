package dev.ota.tuf.trust;

import dev.ota.tuf.BadVersionException;
import dev.ota.tuf.ExpiredMetadataException;
import dev.ota.tuf.LengthOrHashMismatchException;
import dev.ota.tuf.MixAndMatchException;
import dev.ota.tuf.RepositoryException;
import dev.ota.tuf.RollbackAttackException;
import dev.ota.tuf.UnknownRoleException;
import dev.ota.tuf.crypto.SignatureCheck;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The metadata a client trusts during one refresh, and the only way new metadata becomes trusted.
 * <p>
 * Pure: it takes bytes and a reference time fixed at the start of the refresh, does no I/O and reads no
 * clock. Each {@code update*} method either accepts the bytes (and the caller may then persist exactly those
 * bytes) or throws a {@link RepositoryException} named after the attack it stopped, leaving the trusted set
 * as it was. Load order is enforced as state: root*, timestamp, snapshot, targets, delegated targets;
 * calling out of order is a bug in the caller and throws {@link IllegalStateException}.
 * <p>
 * Like python-tuf, a timestamp or snapshot that verified but is not valid as final (expired, or a snapshot
 * whose version differs from what timestamp lists) stays loaded as "intermediate": it still protects
 * against rollback of its successor within this refresh, but nothing can be loaded on top of it.
 * Not thread-safe: one instance per refresh.
 */
public final class TrustedMetadataSet {
    private final Instant referenceTime;
    private Signed<Root> root;
    private Signed<Timestamp> timestamp;
    private Signed<Snapshot> snapshot;
    /** Each targets role accepted in this refresh: one content per role name (its file is one in snapshot). */
    private final Map<String, Signed<Targets>> targets = new HashMap<>();
    /**
     * Through which delegators each role was verified. A role's keys and threshold come from its delegator, so a
     * role valid through one delegator says nothing about its validity through another.
     */
    private final Map<String, Set<String>> verifiedThrough = new HashMap<>();

    /**
     * Starts from a trusted root (shipped with the device or persisted by an earlier refresh).
     *
     * @throws RepositoryException if the root is malformed or not signed by a threshold of its own root keys
     */
    public TrustedMetadataSet(byte[] trustedRoot, Instant referenceTime) {
        this.referenceTime = Objects.requireNonNull(referenceTime, "referenceTime");
        Signed<Root> r = Signed.parse(trustedRoot, Root.class, "trusted root");
        SignatureCheck.verify(Root.TYPE, r, RoleKeys.ofTopLevel(r.signed(), Root.TYPE)).requireThreshold();
        this.root = r;
    }

    public Instant referenceTime() {
        return referenceTime;
    }

    public Signed<Root> root() {
        return root;
    }

    public Optional<Signed<Timestamp>> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    public Optional<Signed<Snapshot>> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /**
     * A targets role accepted in this refresh ({@code "targets"} or a delegated role name), through whichever
     * delegator it was verified. To use a delegated role reached through a particular delegator, ask
     * {@link #targets(String, String)}: being valid through one delegator does not make it valid through another.
     */
    public Optional<Signed<Targets>> targets(String roleName) {
        return Optional.ofNullable(targets.get(roleName));
    }

    /**
     * A targets role accepted in this refresh through {@code delegatorName} ({@code "root"} for top-level targets),
     * i.e. verified against the keys and threshold that delegator gives it; empty otherwise, also when the role
     * was verified through another delegator only.
     */
    public Optional<Signed<Targets>> targets(String roleName, String delegatorName) {
        boolean verified = verifiedThrough.getOrDefault(roleName, Set.of()).contains(delegatorName);
        return verified ? Optional.of(targets.get(roleName)) : Optional.empty();
    }

    /**
     * TUF 5.3: accepts root version N+1, signed by a threshold of the trusted root's root keys and of its own.
     * Expiry is not checked here: an intermediate root may be expired; the final root is checked when the
     * timestamp is loaded.
     */
    public Signed<Root> updateRoot(byte[] bytes) {
        if (timestamp != null) throw new IllegalStateException("cannot update root after timestamp");
        long expected = root.signed().version() + 1;
        Signed<Root> next = Signed.parse(bytes, Root.class, expected + ".root.json");
        SignatureCheck.verify(Root.TYPE, next, RoleKeys.ofTopLevel(root.signed(), Root.TYPE)).requireThreshold();
        if (next.signed().version() != expected) {
            throw new BadVersionException(Root.TYPE, expected, next.signed().version());
        }
        SignatureCheck.verify(Root.TYPE, next, RoleKeys.ofTopLevel(next.signed(), Root.TYPE)).requireThreshold();
        root = next;
        return next;
    }

    /**
     * TUF 5.4: accepts a timestamp signed by the root's timestamp keys whose version, and the snapshot version
     * it lists, do not go below the trusted ones.
     *
     * @return {@link UpdateOutcome#UNCHANGED} when the version equals the trusted one (the trusted one is kept)
     * @throws ExpiredMetadataException if the final root or the new timestamp is expired (the new timestamp
     *         then stays loaded as intermediate, for rollback checks only)
     */
    public UpdateOutcome updateTimestamp(byte[] bytes) {
        if (snapshot != null) throw new IllegalStateException("cannot update timestamp after snapshot");
        // TUF 5.3.10: the final root must not be expired.
        if (root.signed().isExpired(referenceTime)) {
            throw new ExpiredMetadataException(Root.TYPE, root.signed().expires(), referenceTime);
        }
        Signed<Timestamp> next = Signed.parse(bytes, Timestamp.class, "timestamp.json");
        SignatureCheck.verify(Timestamp.TYPE, next, RoleKeys.ofTopLevel(root.signed(), Timestamp.TYPE)).requireThreshold();
        if (timestamp != null) {
            long trusted = timestamp.signed().version();
            long offered = next.signed().version();
            if (offered < trusted) throw new RollbackAttackException(Timestamp.TYPE, trusted, offered);
            if (offered == trusted) return UpdateOutcome.UNCHANGED;
            long trustedSnapshot = timestamp.signed().snapshotMeta().version();
            long offeredSnapshot = next.signed().snapshotMeta().version();
            if (offeredSnapshot < trustedSnapshot) {
                throw new RollbackAttackException(Snapshot.TYPE, trustedSnapshot, offeredSnapshot);
            }
        }
        timestamp = next;
        checkFinalTimestamp();
        return UpdateOutcome.UPDATED;
    }

    /**
     * TUF 5.5: accepts a snapshot matching the length and hashes timestamp lists (unless {@code fromLocalStore},
     * bytes this client already verified once), signed by root's snapshot keys, in which no targets role
     * listed by the trusted snapshot disappears or goes down in version.
     *
     * @throws ExpiredMetadataException or MixAndMatchException if the snapshot is not valid as final (it then
     *         stays loaded as intermediate, for rollback checks only)
     */
    public Signed<Snapshot> updateSnapshot(byte[] bytes, boolean fromLocalStore) {
        if (timestamp == null) throw new IllegalStateException("cannot update snapshot before timestamp");
        if (!targets.isEmpty()) throw new IllegalStateException("cannot update snapshot after targets");
        checkFinalTimestamp();
        MetaFile listed = timestamp.signed().snapshotMeta();
        Bytes data = Bytes.of(bytes);
        if (!fromLocalStore) Integrity.check("snapshot.json", data, listed.length(), listed.hashes());
        Signed<Snapshot> next = Signed.parse(bytes, Snapshot.class, "snapshot.json");
        SignatureCheck.verify(Snapshot.TYPE, next, RoleKeys.ofTopLevel(root.signed(), Snapshot.TYPE)).requireThreshold();
        if (snapshot != null) {
            for (Map.Entry<String, MetaFile> e : snapshot.signed().meta().entrySet()) {
                MetaFile offered = next.signed().meta().get(e.getKey());
                String role = stripJson(e.getKey());
                if (offered == null) throw new RollbackAttackException(role, e.getValue().version(), -1);
                if (offered.version() < e.getValue().version()) {
                    throw new RollbackAttackException(role, e.getValue().version(), offered.version());
                }
            }
        }
        snapshot = next;
        checkFinalSnapshot();
        return next;
    }

    /** TUF 5.6: the top-level targets role, keys from root. */
    public Signed<Targets> updateTargets(byte[] bytes) {
        return updateDelegatedTargets(bytes, Targets.TYPE, Root.TYPE);
    }

    /**
     * TUF 5.6 / 5.7: a targets role whose length and hashes match what snapshot lists, signed by the keys and
     * threshold its delegator gives it, with exactly the version snapshot lists, not expired. A role reached
     * through several delegators is verified once per delegator, each time against that delegator's keys and
     * threshold; its content is fixed by the first acceptance in this refresh.
     *
     * @param delegatorName {@code "root"} for top-level targets, else the loaded targets role that delegates
     * @throws UnknownRoleException if snapshot does not list the role or the delegator does not delegate it
     * @throws dev.ota.tuf.ThresholdNotMetException if this delegator's keys and threshold do not verify the role,
     *         even when another delegator's did
     * @throws dev.ota.tuf.LengthOrHashMismatchException if the role was accepted earlier in this refresh with
     *         other bytes
     */
    public Signed<Targets> updateDelegatedTargets(byte[] bytes, String roleName, String delegatorName) {
        if (snapshot == null) throw new IllegalStateException("cannot load targets before snapshot");
        checkFinalSnapshot();
        RoleKeys keys;
        if (Root.TYPE.equals(delegatorName)) {
            if (!Targets.TYPE.equals(roleName)) throw new IllegalArgumentException("root delegates only 'targets'");
            keys = RoleKeys.ofTopLevel(root.signed(), Targets.TYPE);
        } else {
            Signed<Targets> delegator = targets.get(delegatorName);
            if (delegator == null) throw new IllegalStateException("cannot load " + roleName + " before its delegator " + delegatorName);
            keys = delegator.signed().delegations().flatMap(d -> d.keysFor(roleName))
                    .orElseThrow(() -> new UnknownRoleException(roleName, "is not delegated by " + delegatorName));
        }
        MetaFile listed = snapshot.signed().metaFor(roleName);
        if (listed == null) throw new UnknownRoleException(roleName, "is not listed in snapshot version " + snapshot.signed().version());
        String file = roleName + ".json";
        Integrity.check(file, Bytes.of(bytes), listed.length(), listed.hashes());
        Signed<Targets> next = Signed.parse(bytes, Targets.class, file);
        Signed<Targets> accepted = targets.get(roleName);
        if (accepted != null && !sameFile(accepted, next)) {
            // Snapshot lists one file per role name; without hashes there, two files could claim its version.
            // Whichever was accepted first is the role for the rest of this refresh, for every delegator.
            throw new LengthOrHashMismatchException(file, "sha256", accepted.toBytes().sha256Hex(), next.toBytes().sha256Hex());
        }
        SignatureCheck.verify(roleName, next, keys).requireThreshold();
        if (next.signed().version() != listed.version()) {
            throw new MixAndMatchException(roleName, listed.version(), next.signed().version());
        }
        if (next.signed().isExpired(referenceTime)) {
            throw new ExpiredMetadataException(roleName, next.signed().expires(), referenceTime);
        }
        if (accepted == null) targets.put(roleName, next);
        verifiedThrough.computeIfAbsent(roleName, r -> new HashSet<>()).add(delegatorName);
        return targets.get(roleName);
    }

    private static boolean sameFile(Signed<Targets> a, Signed<Targets> b) {
        return a.signedBytes().equals(b.signedBytes()) && a.signatures().equals(b.signatures())
                && a.unrecognized().equals(b.unrecognized());
    }

    private void checkFinalTimestamp() {
        if (timestamp.signed().isExpired(referenceTime)) {
            throw new ExpiredMetadataException(Timestamp.TYPE, timestamp.signed().expires(), referenceTime);
        }
    }

    private void checkFinalSnapshot() {
        checkFinalTimestamp();
        if (snapshot.signed().isExpired(referenceTime)) {
            throw new ExpiredMetadataException(Snapshot.TYPE, snapshot.signed().expires(), referenceTime);
        }
        long listed = timestamp.signed().snapshotMeta().version();
        if (snapshot.signed().version() != listed) {
            throw new MixAndMatchException(Snapshot.TYPE, listed, snapshot.signed().version());
        }
    }

    private static String stripJson(String fileName) {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }
}
