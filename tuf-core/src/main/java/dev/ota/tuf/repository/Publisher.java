package dev.ota.tuf.repository;

import dev.ota.tuf.UnknownRoleException;
import dev.ota.tuf.crypto.SignatureCheck;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Creating a repository and publishing into it, as pure functions from one {@link RepositoryState} to the
 * next. Every new version of a role is the previous one plus one, with an expiry counted from {@code now}; only
 * the roles whose content changed are re-signed, then snapshot (listing them with version, length and sha256),
 * then timestamp (naming that snapshot). Nothing is signed unless every check passed, so a failed call leaves
 * the caller with the state it had.
 * <p>
 * Every function checks the signing keys against the role's authorisation in the state's root (or top-level
 * targets' delegations) and throws {@link SigningKeyNotAuthorisedException} or
 * {@link InsufficientSigningKeysException} rather than publish a role clients would reject; the expiry refresh
 * ({@link #refreshDue}, {@link #refreshExpiring}) instead leaves a role whose keys are not at hand.
 */
public final class Publisher {
    private static final String SPEC_VERSION = RoleMetadata.SPEC_VERSION;

    private Publisher() {
    }

    /**
     * A new repository, version 1 of every role: root with the configured keys and thresholds and consistent
     * snapshots on; top-level targets delegating to the online role(s); every delegated role (every hash bin),
     * empty; snapshot listing targets and every delegated role; timestamp naming the snapshot.
     *
     * @return the state and all its files, in publish order
     */
    public static Publication create(RepositoryConfig config, Instant now) {
        Expiries e = config.expiries();
        Map<String, Key> keys = new LinkedHashMap<>();
        Map<String, Role> roles = new LinkedHashMap<>();
        addRole(keys, roles, "root", config.root());
        addRole(keys, roles, "targets", config.targets());
        addRole(keys, roles, "snapshot", config.snapshot());
        addRole(keys, roles, "timestamp", config.timestamp());
        Root root = new Root(SPEC_VERSION, 1, e.expiresFor("root", now), true, keys, roles, Map.of());
        RoleFile<Root> rootFile = RoleSigning.sign("root", root, RoleKeys.ofTopLevel(root, "root"), config.root().keys());

        Map<String, Key> delegatedKeys = new LinkedHashMap<>();
        config.delegated().keys().forEach(k -> delegatedKeys.put(k.keyId(), k.publicKey()));
        Delegations delegations;
        List<String> names;
        if (config.delegation() instanceof Delegation.HashBins bins) {
            SuccinctRoles succinct = new SuccinctRoles(config.delegated().keyIds(), config.delegated().threshold(),
                    bins.bitLength(), bins.namePrefix(), Map.of());
            delegations = new Delegations(delegatedKeys, Optional.empty(), Optional.of(succinct), Map.of());
            names = succinct.allBinNames();
        } else {
            Delegation.PathRole p = (Delegation.PathRole) config.delegation();
            DelegatedRole role = new DelegatedRole(p.name(), config.delegated().keyIds(), config.delegated().threshold(),
                    p.terminating(), Optional.of(p.paths()), Optional.empty(), Map.of());
            delegations = new Delegations(delegatedKeys, Optional.of(List.of(role)), Optional.empty(), Map.of());
            names = List.of(p.name());
        }
        Targets top = new Targets(SPEC_VERSION, 1, e.expiresFor("targets", now), Map.of(), Optional.of(delegations), Map.of());
        RoleFile<Targets> targetsFile = RoleSigning.sign("targets", top, RoleKeys.ofTopLevel(root, "targets"),
                config.targets().keys());

        // Targets metadata does not name its role, so every empty bin has the same bytes: sign once, share.
        String firstName = names.get(0);
        Targets empty = new Targets(SPEC_VERSION, 1, e.expiresFor(firstName, now), Map.of(), Optional.empty(), Map.of());
        RoleFile<Targets> emptyFile = RoleSigning.sign(firstName, empty, delegations.keysFor(firstName).orElseThrow(),
                config.delegated().keys());
        MetaFile emptyMeta = emptyFile.describe();
        Map<String, RoleFile<Targets>> delegated = new HashMap<>();
        Map<String, MetaFile> meta = new HashMap<>();
        meta.put("targets.json", targetsFile.describe());
        for (String name : names) {
            delegated.put(name, emptyFile.as(name));
            meta.put(name + ".json", emptyMeta);
        }
        Snapshot snapshot = new Snapshot(SPEC_VERSION, 1, e.expiresFor("snapshot", now), meta, Map.of());
        RoleFile<Snapshot> snapshotFile = RoleSigning.sign("snapshot", snapshot, RoleKeys.ofTopLevel(root, "snapshot"),
                config.snapshot().keys());
        Timestamp timestamp = new Timestamp(SPEC_VERSION, 1, e.expiresFor("timestamp", now), snapshotFile.describe(), Map.of());
        RoleFile<Timestamp> timestampFile = RoleSigning.sign("timestamp", timestamp,
                RoleKeys.ofTopLevel(root, "timestamp"), config.timestamp().keys());
        RepositoryState state = new RepositoryState(rootFile, targetsFile, delegated, snapshotFile, timestampFile);
        return new Publication(state, state.files());
    }

    /**
     * Applies target changes, each in the role responsible for its path (its hash bin), and publishes the result:
     * each changed role at version + 1, then snapshot, then timestamp. Roles whose content ends up unchanged are
     * not re-signed; if none changed, nothing is (an empty publication, not an error). Cost is proportional to
     * the changed roles, never to the whole repository.
     *
     * @param keys needs the delegated, snapshot and timestamp keys
     * @throws NoDelegationForTargetException if no delegated role is trusted for a path
     * @throws TargetAlreadyListedException if an add names a path listed with other content
     * @throws TargetNotListedException if a replace or remove names a path not listed
     */
    public static Publication publish(RepositoryState state, List<TargetChange> changes, Keyring keys, Expiries expiries,
                                      Instant now) {
        Map<String, Map<String, TargetFile>> edited = new HashMap<>();
        for (TargetChange change : changes) {
            String path = change.path();
            String role = state.roleFor(path);
            Map<String, TargetFile> listed = edited.computeIfAbsent(role,
                    r -> new HashMap<>(state.targetsRole(r).metadata().targets()));
            TargetFile current = listed.get(path);
            if (change instanceof TargetChange.Add add) {
                if (current != null && !current.equals(add.file())) throw new TargetAlreadyListedException(path, role);
                listed.put(path, add.file());
            } else if (change instanceof TargetChange.Replace replace) {
                if (current == null) throw new TargetNotListedException(path, role);
                listed.put(path, replace.file());
            } else {
                if (current == null) throw new TargetNotListedException(path, role);
                listed.remove(path);
            }
        }
        Map<String, Targets> changed = new TreeMap<>();
        edited.forEach((role, listed) -> {
            Targets old = state.targetsRole(role).metadata();
            if (!listed.equals(old.targets())) {
                changed.put(role, new Targets(old.specVersion(), old.version(), old.expires(), listed, old.delegations(),
                        old.unrecognized()));
            }
        });
        if (changed.isEmpty()) return new Publication(state, List.of());
        return commit(state, changed, keys, expiries, now);
    }

    /**
     * Re-signs targets roles ({@code "targets"} or delegated role names) with unchanged content at version + 1
     * and a new expiry, then snapshot and timestamp. For a timer before they expire, or after their keys rotated.
     *
     * @param keys needs the keys of the named roles, snapshot and timestamp
     * @throws UnknownRoleException if a name is not a targets role of this repository
     */
    public static Publication resign(RepositoryState state, Collection<String> targetsRoles, Keyring keys,
                                     Expiries expiries, Instant now) {
        Map<String, Targets> contents = new TreeMap<>();
        for (String role : targetsRoles) contents.put(role, state.targetsRole(role).metadata());
        return commit(state, contents, keys, expiries, now);
    }

    /**
     * Re-signs snapshot with unchanged content at version + 1 and a new expiry, then timestamp naming it.
     *
     * @param keys needs the snapshot and timestamp keys
     */
    public static Publication refreshSnapshot(RepositoryState state, Keyring keys, Expiries expiries, Instant now) {
        return commit(state, Map.of(), keys, expiries, now);
    }

    /**
     * Re-signs timestamp with unchanged content (the same snapshot) at version + 1 and a new expiry.
     *
     * @param keys needs the timestamp keys
     */
    public static Publication refreshTimestamp(RepositoryState state, Keyring keys, Expiries expiries, Instant now) {
        Root root = state.root().metadata();
        RoleFile<Timestamp> timestamp = RoleSigning.sign("timestamp",
                RoleSigning.nextVersion(state.timestamp().metadata(), expiries.expiresFor("timestamp", now)),
                RoleKeys.ofTopLevel(root, "timestamp"), keys.forRole("timestamp"));
        RepositoryState next = new RepositoryState(state.root(), state.targets(), state.delegated(), state.snapshot(), timestamp,
                state.complete());
        return new Publication(next, List.of(timestamp.toFile(next.consistentSnapshot())));
    }

    /**
     * Re-signs every role that expires at or before {@code horizon} and that {@code keys} can sign, with the
     * least work that keeps clients from seeing an expired role; see {@link #refreshDue}, which this is with one
     * horizon for every role instead of each role's own margin.
     */
    public static Publication refreshExpiring(RepositoryState state, Instant horizon, Keyring keys, Expiries expiries,
                                              Instant now) {
        return refresh(state, state.expiringBefore(horizon), keys, expiries, now);
    }

    /**
     * What a server timer calls: re-signs every role due within its {@link Expiries#refreshMargin} that
     * {@code keys} can sign ({@link Keyring#canSign}), and leaves the others for their officers, never failing
     * because of them. Targets roles pull in snapshot and timestamp, snapshot pulls in timestamp: a targets role
     * is left too when snapshot or timestamp cannot be signed (clients would never be served it). Root, when
     * due and its keys are at hand, becomes version N+1 with the same keys, thresholds and content and a new
     * expiry ({@link RootRotation#rotate}), signed by the keys of root N, so clients walk to it (TUF 5.3); it
     * needs no new timestamp. Everything is one publication, in publish order.
     */
    public static Publication refreshDue(RepositoryState state, Keyring keys, Expiries expiries, Instant now) {
        return refresh(state, state.dueForRefresh(now, expiries), keys, expiries, now);
    }

    private static Publication refresh(RepositoryState state, Set<String> due, Keyring keys, Expiries expiries,
                                       Instant now) {
        Publication out = new Publication(state, List.of());
        if (due.contains("root") && keys.canSign(state, "root")) {
            out = RootRotation.rotate(state, r -> r, keys.root(), keys.root(), expiries, now);
        }
        RepositoryState s = out.state();
        List<String> targetsRoles = new ArrayList<>();
        for (String role : due) {
            if (!Root.TOP_LEVEL_ROLES.contains(role) || role.equals("targets")) {
                if (keys.canSign(s, role)) targetsRoles.add(role);
            }
        }
        boolean snapshot = due.contains("snapshot") || !targetsRoles.isEmpty();
        if (!keys.canSign(s, "timestamp")) return out;
        if (snapshot && !keys.canSign(s, "snapshot")) {
            snapshot = false;
            targetsRoles.clear();
        }
        if (!targetsRoles.isEmpty()) return out.followedBy(resign(s, targetsRoles, keys, expiries, now));
        if (snapshot) return out.followedBy(refreshSnapshot(s, keys, expiries, now));
        if (due.contains("timestamp")) return out.followedBy(refreshTimestamp(s, keys, expiries, now));
        return out;
    }

    /**
     * Signs the given targets roles' contents as their next versions, then snapshot derived from them, then
     * timestamp derived from snapshot. Top-level targets is signed first so that delegated roles are checked
     * against the delegations that will be served with them.
     */
    static Publication commit(RepositoryState state, Map<String, Targets> contents, Keyring keys,
                                      Expiries expiries, Instant now) {
        Root root = state.root().metadata();
        RoleFile<Targets> top = state.targets();
        Targets topContent = contents.get("targets");
        if (topContent != null) {
            top = RoleSigning.sign("targets", RoleSigning.nextVersion(topContent, expiries.expiresFor("targets", now)),
                    RoleKeys.ofTopLevel(root, "targets"), keys.forRole("targets"));
        }
        Delegations delegations = top.metadata().delegations().orElse(null);
        Map<String, RoleFile<Targets>> delegated = new HashMap<>(state.delegated());
        List<RoleFile<Targets>> written = new ArrayList<>();
        for (Map.Entry<String, Targets> c : contents.entrySet()) {
            String role = c.getKey();
            if (role.equals("targets")) continue;
            Optional<RoleKeys> authorised = delegations == null ? Optional.empty() : delegations.keysFor(role);
            if (authorised.isEmpty()) throw new UnknownRoleException(role, "is not delegated by targets");
            RoleFile<Targets> f = RoleSigning.sign(role, RoleSigning.nextVersion(c.getValue(),
                    expiries.expiresFor(role, now)), authorised.get(), keys.forRole(role));
            delegated.put(role, f);
            written.add(f);
        }
        if (topContent != null) written.add(top);
        return withSnapshot(state, top, delegated, written, keys, expiries, now);
    }

    /**
     * Publishes top-level targets N+1 as officers signed it offline (a targets ceremony), then snapshot and
     * timestamp signed online. The file is checked as every client will check it: version exactly N+1, a
     * threshold of the state root's targets keys.
     *
     * @param keys needs the snapshot and timestamp keys only: no targets key is used, none need be held
     * @throws IllegalArgumentException if {@code signedTargets} is not version N+1 of the state's targets
     * @throws InsufficientSigningKeysException if it is not signed by a threshold of the root's targets keys
     */
    public static Publication publishSignedTargets(RepositoryState state, RoleFile<Targets> signedTargets, Keyring keys,
                                                   Expiries expiries, Instant now) {
        long expected = state.targets().version() + 1;
        if (signedTargets.version() != expected) {
            throw new IllegalArgumentException("targets version " + signedTargets.version() + " is not the next version "
                    + expected);
        }
        CanonicalProposal.requireMet(SignatureCheck.verify("targets", signedTargets.signed(),
                RoleKeys.ofTopLevel(state.root().metadata(), "targets")));
        return withSnapshot(state, signedTargets, state.delegated(), List.of(signedTargets), keys, expiries, now);
    }

    /** Snapshot N+1 listing {@code written} (already signed), then timestamp naming it; the files in publish order. */
    private static Publication withSnapshot(RepositoryState state, RoleFile<Targets> top,
                                            Map<String, RoleFile<Targets>> delegated, List<RoleFile<Targets>> written,
                                            Keyring keys, Expiries expiries, Instant now) {
        Root root = state.root().metadata();
        Snapshot old = state.snapshot().metadata();
        // Entries are replaced, never removed: a client refuses a snapshot that drops a role it saw (rollback).
        Map<String, MetaFile> meta = new HashMap<>(old.meta());
        for (RoleFile<Targets> f : written) meta.put(f.role() + ".json", f.describe());
        Snapshot content = new Snapshot(old.specVersion(), old.version(), old.expires(), meta, old.unrecognized());
        RoleFile<Snapshot> snapshot = RoleSigning.sign("snapshot",
                RoleSigning.nextVersion(content, expiries.expiresFor("snapshot", now)),
                RoleKeys.ofTopLevel(root, "snapshot"), keys.forRole("snapshot"));

        Timestamp oldTs = state.timestamp().metadata();
        Timestamp tsContent = new Timestamp(oldTs.specVersion(), oldTs.version(), oldTs.expires(), snapshot.describe(),
                oldTs.unrecognized());
        RoleFile<Timestamp> timestamp = RoleSigning.sign("timestamp",
                RoleSigning.nextVersion(tsContent, expiries.expiresFor("timestamp", now)),
                RoleKeys.ofTopLevel(root, "timestamp"), keys.forRole("timestamp"));

        RepositoryState next = new RepositoryState(state.root(), top, delegated, snapshot, timestamp, state.complete());
        boolean consistent = next.consistentSnapshot();
        List<MetadataFile> files = new ArrayList<>();
        for (RoleFile<Targets> f : written) files.add(f.toFile(consistent));
        files.add(snapshot.toFile(consistent));
        files.add(timestamp.toFile(consistent));
        return new Publication(next, files);
    }

    private static void addRole(Map<String, Key> keys, Map<String, Role> roles, String name, RoleKeySet set) {
        for (SigningKey k : set.keys()) keys.put(k.keyId(), k.publicKey());
        roles.put(name, new Role(set.keyIds(), set.threshold()));
    }
}
