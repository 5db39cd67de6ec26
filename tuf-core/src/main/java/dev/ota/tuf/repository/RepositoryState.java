package dev.ota.tuf.repository;

import dev.ota.tuf.UnknownRoleException;
import dev.ota.tuf.crypto.SignatureCheck;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The current signed file of every role of one repository: root, top-level targets, the delegated targets
 * roles it delegates to (every hash bin, or the path roles), snapshot and timestamp. Immutable; the functions
 * of {@link Publisher} and {@link RootRotation} return the next state together with the files to store.
 * <p>
 * Construction checks that the files form one state (snapshot lists every targets role at its version,
 * timestamp names this snapshot, every delegated role is present): O(number of roles), no hashing.
 * {@link #load} additionally checks the lengths and hashes snapshot and timestamp list.
 * <p>
 * A <em>partial</em> state ({@code complete == false}, made by {@link #loadPartial}) holds the top-level roles
 * and only some delegated roles: those a publish is about to change. Snapshot still lists every role, so the
 * next snapshot and timestamp are complete and correct; the roles not held are simply not touched. This is
 * what lets a server with 100,000 targets in 256 bins publish one target by reading one bin, not all of them.
 * Asking a partial state for a delegated role it does not hold is a bug in the caller
 * ({@link IllegalStateException}).
 *
 * @param delegated delegated targets roles by role name (with {@code complete}: all of them)
 * @param complete  whether every delegated role is held
 * @throws InconsistentRepositoryException if the files do not form one state
 */
public record RepositoryState(RoleFile<Root> root, RoleFile<Targets> targets, Map<String, RoleFile<Targets>> delegated,
                              RoleFile<Snapshot> snapshot, RoleFile<Timestamp> timestamp, boolean complete) {
    /** A complete state: every delegated role is given. */
    public RepositoryState(RoleFile<Root> root, RoleFile<Targets> targets, Map<String, RoleFile<Targets>> delegated,
                           RoleFile<Snapshot> snapshot, RoleFile<Timestamp> timestamp) {
        this(root, targets, delegated, snapshot, timestamp, true);
    }

    public RepositoryState {
        if (root == null || targets == null || delegated == null || snapshot == null || timestamp == null) {
            throw new IllegalArgumentException("every role of a repository state is required");
        }
        delegated = Map.copyOf(delegated);
        expectName(root, "root");
        expectName(targets, "targets");
        expectName(snapshot, "snapshot");
        expectName(timestamp, "timestamp");
        delegated.forEach((name, file) -> expectName(file, name));
        checkDelegatedRolesExist(targets.metadata(), delegated, complete);
        Snapshot s = snapshot.metadata();
        expectListed(s, "targets", targets.version());
        delegated.forEach((name, file) -> expectListed(s, name, file.version()));
        long named = timestamp.metadata().snapshotMeta().version();
        if (named != snapshot.version()) {
            throw new InconsistentRepositoryException("timestamp", "names snapshot version " + named
                    + " but the snapshot is version " + snapshot.version());
        }
    }

    /**
     * Rebuilds the state from stored files, keeping their bytes exactly. Checks, beyond the constructor, every
     * length and hash that timestamp and snapshot list. Signatures are not checked here: the files come from
     * this repository's own store.
     *
     * @param delegated the delegated roles' files by role name (every hash bin)
     * @throws dev.ota.tuf.MalformedMetadataException if a file is not metadata of its role's type
     * @throws InconsistentRepositoryException if the files do not form one state
     */
    public static RepositoryState load(Bytes root, Bytes targets, Map<String, Bytes> delegated, Bytes snapshot,
                                       Bytes timestamp) {
        return load(root, targets, delegated, snapshot, timestamp, true);
    }

    /**
     * Like {@link #load}, for a partial state: {@code delegated} holds only the delegated roles the caller will
     * read or change (each must be one the top-level targets delegates to, at the version snapshot lists). Cost
     * follows the files given, not the size of the repository.
     *
     * @throws dev.ota.tuf.MalformedMetadataException if a file is not metadata of its role's type
     * @throws InconsistentRepositoryException if the files do not form one state
     */
    public static RepositoryState loadPartial(Bytes root, Bytes targets, Map<String, Bytes> delegated, Bytes snapshot,
                                              Bytes timestamp) {
        return load(root, targets, delegated, snapshot, timestamp, false);
    }

    private static RepositoryState load(Bytes root, Bytes targets, Map<String, Bytes> delegated, Bytes snapshot,
                                        Bytes timestamp, boolean complete) {
        Map<String, RoleFile<Targets>> roles = new HashMap<>();
        delegated.forEach((name, bytes) -> roles.put(name, RoleFile.parse(name, bytes, Targets.class)));
        RepositoryState state = new RepositoryState(RoleFile.parse("root", root, Root.class),
                RoleFile.parse("targets", targets, Targets.class), roles,
                RoleFile.parse("snapshot", snapshot, Snapshot.class),
                RoleFile.parse("timestamp", timestamp, Timestamp.class), complete);
        expectDescribes("timestamp", state.timestamp.metadata().snapshotMeta(), state.snapshot);
        Snapshot s = state.snapshot.metadata();
        expectDescribes("snapshot", s.metaFor("targets"), state.targets);
        state.delegated.forEach((name, file) -> expectDescribes("snapshot", s.metaFor(name), file));
        return state;
    }

    /**
     * This state plus the given delegated roles, parsed from stored bytes and checked like {@link #load} checks
     * them (version, length and hashes as snapshot lists them); the result is partial unless this state was
     * complete. For a server that already holds the top-level roles and now needs the bins a publish changes.
     *
     * @throws dev.ota.tuf.MalformedMetadataException if a file is not targets metadata
     * @throws InconsistentRepositoryException if a file is not the version snapshot lists, byte for byte
     */
    public RepositoryState withDelegated(Map<String, Bytes> files) {
        Map<String, RoleFile<Targets>> roles = new HashMap<>(delegated);
        Snapshot s = snapshot.metadata();
        files.forEach((name, bytes) -> {
            RoleFile<Targets> f = RoleFile.parse(name, bytes, Targets.class);
            MetaFile listed = s.metaFor(name);
            if (listed == null) throw new InconsistentRepositoryException("snapshot", "does not list " + name + ".json");
            expectDescribes("snapshot", listed, f);
            roles.put(name, f);
        });
        return new RepositoryState(root, targets, roles, snapshot, timestamp, complete);
    }

    /**
     * Checks every role's signatures over its stored bytes against the keys this state authorises for it (root
     * against itself, delegated roles against top-level targets' delegations), as a client would. For a server
     * that wants to prove its store intact, e.g. after {@link #load}; nothing here throws on a bad signature.
     *
     * @return one result per role, in publish order
     */
    public List<VerificationResult> verifySignatures() {
        Root r = root.metadata();
        List<VerificationResult> out = new ArrayList<>();
        out.add(SignatureCheck.verify("root", root.signed(), RoleKeys.ofTopLevel(r, "root")));
        Optional<Delegations> d = targets.metadata().delegations();
        new TreeMap<>(delegated).forEach((name, f) -> out.add(SignatureCheck.verify(name, f.signed(),
                d.flatMap(x -> x.keysFor(name)).orElseThrow())));
        out.add(SignatureCheck.verify("targets", targets.signed(), RoleKeys.ofTopLevel(r, "targets")));
        out.add(SignatureCheck.verify("snapshot", snapshot.signed(), RoleKeys.ofTopLevel(r, "snapshot")));
        out.add(SignatureCheck.verify("timestamp", timestamp.signed(), RoleKeys.ofTopLevel(r, "timestamp")));
        return out;
    }

    public boolean consistentSnapshot() {
        return root.metadata().consistentSnapshot();
    }

    /**
     * The delegated role that lists {@code targetPath}: its hash bin, or the first path role (in priority
     * order) trusted for it, as a client's delegation search would find it.
     *
     * @throws InvalidTargetPathException if the path could not be served safely
     * @throws NoDelegationForTargetException if no delegated role of this repository is trusted for the path
     */
    public String roleFor(String targetPath) {
        TargetPaths.requireValid(targetPath);
        Delegations d = targets.metadata().delegations().orElseThrow(() -> new NoDelegationForTargetException(targetPath));
        if (d.succinctRoles().isPresent()) return d.succinctRoles().get().roleNameFor(targetPath);
        for (DelegatedRole r : d.roles().orElseThrow()) {
            if (r.isDelegatedPath(targetPath)) {
                // A partial state knows the roles that exist from snapshot, which lists every one.
                boolean exists = complete ? delegated.containsKey(r.name()) : snapshot.metadata().metaFor(r.name()) != null;
                if (exists) return r.name();
                // A role listed first takes priority in a client's search; listing the target further down
                // would publish something the client never reaches.
                throw new NoDelegationForTargetException(targetPath);
            }
        }
        throw new NoDelegationForTargetException(targetPath);
    }

    /** The target listed under {@code targetPath}, if any. */
    public Optional<TargetFile> target(String targetPath) {
        return Optional.ofNullable(targetsRole(roleFor(targetPath)).metadata().targets().get(targetPath));
    }

    /**
     * A targets role's file: {@code "targets"} or a delegated role name.
     *
     * @throws UnknownRoleException if this repository has no such targets role
     */
    public RoleFile<Targets> targetsRole(String name) {
        if (name.equals("targets")) return targets;
        RoleFile<Targets> f = delegated.get(name);
        if (f == null && !complete && isDelegated(name)) {
            throw new IllegalStateException("role '" + name + "' was not loaded into this partial state");
        }
        if (f == null) throw new UnknownRoleException(name, "not a targets role of this repository");
        return f;
    }

    /**
     * Roles that expire at or before {@code horizon}, in publish order: what a timer must re-sign now so that
     * no client ever sees them expired. Of a partial state, only the delegated roles it holds are considered.
     */
    public Set<String> expiringBefore(Instant horizon) {
        Set<String> out = new LinkedHashSet<>();
        if (!root.expires().isAfter(horizon)) out.add("root");
        new TreeMap<>(delegated).forEach((name, f) -> {
            if (!f.expires().isAfter(horizon)) out.add(name);
        });
        if (!targets.expires().isAfter(horizon)) out.add("targets");
        if (!snapshot.expires().isAfter(horizon)) out.add("snapshot");
        if (!timestamp.expires().isAfter(horizon)) out.add("timestamp");
        return out;
    }

    /**
     * Roles due for re-signing at {@code now}: those expiring within their {@link Expiries#refreshMargin}, in
     * publish order. Of a partial state, only the delegated roles it holds are considered.
     */
    public Set<String> dueForRefresh(Instant now, Expiries expiries) {
        Set<String> out = new LinkedHashSet<>();
        if (due(root, now, expiries)) out.add("root");
        new TreeMap<>(delegated).forEach((name, f) -> {
            if (due(f, now, expiries)) out.add(name);
        });
        if (due(targets, now, expiries)) out.add("targets");
        if (due(snapshot, now, expiries)) out.add("snapshot");
        if (due(timestamp, now, expiries)) out.add("timestamp");
        return out;
    }

    private static boolean due(RoleFile<?> f, Instant now, Expiries expiries) {
        return !f.expires().isAfter(now.plus(expiries.refreshMargin(f.role())));
    }

    /**
     * Every current file, in publish order: what a new store or mirror needs to serve this state.
     *
     * @throws IllegalStateException for a partial state, which lacks some of them
     */
    public List<MetadataFile> files() {
        if (!complete) throw new IllegalStateException("a partial state does not hold every file");
        boolean consistent = consistentSnapshot();
        List<MetadataFile> out = new ArrayList<>();
        out.add(root.toFile(consistent));
        new TreeMap<>(delegated).values().forEach(f -> out.add(f.toFile(consistent)));
        out.add(targets.toFile(consistent));
        out.add(snapshot.toFile(consistent));
        out.add(timestamp.toFile(consistent));
        return out;
    }

    private static void expectName(RoleFile<?> file, String role) {
        if (!file.role().equals(role)) {
            throw new InconsistentRepositoryException(role, "file is for role '" + file.role() + "'");
        }
    }

    private boolean isDelegated(String name) {
        Optional<Delegations> d = targets.metadata().delegations();
        if (d.isEmpty()) return false;
        if (d.get().succinctRoles().isPresent()) return d.get().succinctRoles().get().isBin(name);
        return d.get().roles().orElseThrow().stream().anyMatch(r -> r.name().equals(name));
    }

    private static void checkDelegatedRolesExist(Targets targets, Map<String, RoleFile<Targets>> delegated,
                                                 boolean complete) {
        Optional<Delegations> d = targets.delegations();
        if (d.isEmpty()) {
            if (!delegated.isEmpty()) {
                throw new InconsistentRepositoryException("targets", "delegates nothing, yet delegated roles are given");
            }
            return;
        }
        if (d.get().succinctRoles().isPresent()) {
            SuccinctRoles bins = d.get().succinctRoles().get();
            // TAP 15: a client fetches whichever bin a path hashes to, so every bin must exist.
            if (complete && delegated.size() != bins.binCount()) {
                throw new InconsistentRepositoryException("targets", "delegates " + bins.binCount()
                        + " hash bins but " + delegated.size() + " delegated roles are given");
            }
            for (String name : delegated.keySet()) {
                if (!bins.isBin(name)) throw new InconsistentRepositoryException(name, "is not one of the hash bins");
            }
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        d.get().roles().orElseThrow().forEach(r -> names.add(r.name()));
        for (String name : delegated.keySet()) {
            if (!names.contains(name)) throw new InconsistentRepositoryException(name, "is not delegated by targets");
        }
    }

    private static void expectListed(Snapshot s, String role, long version) {
        MetaFile m = s.metaFor(role);
        if (m == null) throw new InconsistentRepositoryException("snapshot", "does not list " + role + ".json");
        if (m.version() != version) {
            throw new InconsistentRepositoryException("snapshot", "lists " + role + ".json at version " + m.version()
                    + " but the file is version " + version);
        }
    }

    private static void expectDescribes(String parent, MetaFile m, RoleFile<?> file) {
        if (m.length().isPresent() && m.length().getAsLong() != file.bytes().length()) {
            throw new InconsistentRepositoryException(parent, "lists " + file.role() + ".json with length "
                    + m.length().getAsLong() + " but the file has " + file.bytes().length() + " bytes");
        }
        for (Map.Entry<String, String> h : m.hashes().entrySet()) {
            byte[] digest = file.bytes().digestByTufName(h.getKey());
            if (digest != null && !HexFormat.of().formatHex(digest).equalsIgnoreCase(h.getValue())) {
                throw new InconsistentRepositoryException(parent, "lists " + file.role() + ".json with "
                        + h.getKey() + " " + h.getValue() + " but the file hashes differently");
            }
        }
    }
}
