package dev.ota.director;

import dev.ota.tuf.crypto.Signing;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import dev.ota.tuf.repository.KeyRotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the director signs, as pure functions of the order, the versions and the time: the shared root, and per
 * device a targets (never delegating, carrying the device id), a snapshot naming it and a timestamp naming that.
 */
public final class DirectorMetadata {
    /** Per-device files expire after a day and are signed again on fetch once older than half of that. */
    public static final Duration EXPIRY = Duration.ofDays(1);
    public static final Duration RESIGN_AFTER = Duration.ofHours(12);
    public static final Duration ROOT_EXPIRY = Duration.ofDays(365);

    private DirectorMetadata() {
    }

    /** One signed file: its role, version, expiry and the exact bytes served. */
    public record SignedFile(String role, long version, Instant expires, byte[] bytes) {
    }

    /** Version 1 of the director root: the four top-level roles, threshold 1, consistent snapshots. */
    public static SignedFile root(DirectorKeys keys, Instant now) {
        Map<String, Key> allKeys = new LinkedHashMap<>();
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String role : DirectorKeys.ROLES) {
            List<String> ids = new ArrayList<>();
            for (SigningKey k : keys.of(role)) {
                allKeys.put(k.keyId(), k.publicKey());
                ids.add(k.keyId());
            }
            roles.put(role, new Role(ids, 1));
        }
        Instant expires = now.plus(ROOT_EXPIRY);
        Root root = new Root(RoleMetadata.SPEC_VERSION, 1, expires, true, allKeys, roles, Map.of());
        return signed("root", root, keys.root());
    }

    /**
     * Root N+1 of the director: {@code current} with {@code newKey} in place of {@code oldKeyId} for {@code role}
     * (same threshold), a new expiry, signed by the keys of root N and, when the root key itself changes, by the
     * new one too (TUF 5.3.4: a device accepts N+1 only with a threshold of both).
     */
    public static SignedFile nextRoot(Root current, String role, String oldKeyId, Key newKey,
                                      List<SigningKey> currentRootKeys, List<SigningKey> newRootKeys, Instant now) {
        Root edited = KeyRotation.replaceKey(current, role, oldKeyId, newKey);
        Root next = new Root(edited.specVersion(), current.version() + 1, now.plus(ROOT_EXPIRY),
                edited.consistentSnapshot(), edited.keys(), edited.roles(), edited.unrecognized());
        Map<String, SigningKey> signers = new LinkedHashMap<>();
        currentRootKeys.forEach(k -> signers.put(k.keyId(), k));
        newRootKeys.forEach(k -> signers.putIfAbsent(k.keyId(), k));
        return signed("root", next, List.copyOf(signers.values()));
    }

    /**
     * The device's targets: the assigned image under its image-repository path, length and hashes, with the
     * custom fields of device-api.md; none when {@code assignment} is empty. Next to it the device's desired
     * configuration, when one is set, as {@code config/{deviceId}.json} by length and sha256. {@code custom.deviceId}
     * always.
     */
    public static Targets targets(String deviceId, Optional<Assignment> assignment, Optional<ConfigTarget> config,
                                  long version, Instant expires) {
        Map<String, TargetFile> listed = new LinkedHashMap<>();
        assignment.ifPresent(a -> {
            if (!a.deviceId().equals(deviceId)) {
                throw new IllegalArgumentException("an assignment of '" + a.deviceId() + "' signed for '" + deviceId + "'");
            }
            ListedImage image = a.image();
            JsonValue custom = a.custom().toJson();
            listed.put(image.path(), new TargetFile(image.length(), image.hashes(), Optional.of(custom), Map.of()));
        });
        config.ifPresent(c -> {
            if (!c.deviceId().equals(deviceId)) {
                throw new IllegalArgumentException("a configuration of '" + c.deviceId() + "' signed for '" + deviceId + "'");
            }
            listed.put(c.path(), c.targetFile());
        });
        return new Targets(RoleMetadata.SPEC_VERSION, version, expires, listed, Optional.empty(),
                Map.of("custom", JsonValue.obj("deviceId", JsonValue.of(deviceId))));
    }

    /**
     * Targets, snapshot and timestamp for one device at the given versions, each expiring {@link #EXPIRY} after
     * {@code now}; the snapshot names the targets version, the timestamp the snapshot's version, length and hash.
     */
    public static List<SignedFile> deviceFiles(DirectorKeys keys, String deviceId, Optional<Assignment> assignment,
                                               Optional<ConfigTarget> config, long targetsVersion, long snapshotVersion, long timestampVersion,
                                               Instant now) {
        Instant expires = now.plus(EXPIRY);
        SignedFile targets = signed("targets", targets(deviceId, assignment, config, targetsVersion, expires), keys.targets());
        Snapshot snapshot = new Snapshot(RoleMetadata.SPEC_VERSION, snapshotVersion, expires,
                Map.of("targets.json", new MetaFile(targetsVersion)), Map.of());
        SignedFile snap = signed("snapshot", snapshot, keys.snapshot());
        Timestamp timestamp = new Timestamp(RoleMetadata.SPEC_VERSION, timestampVersion, expires,
                MetaFile.describing(snapshotVersion, Bytes.of(snap.bytes())), Map.of());
        return List.of(targets, snap, signed("timestamp", timestamp, keys.timestamp()));
    }

    /** Whether files expiring at {@code expires} are due for signing again at {@code now}. */
    public static boolean dueForResigning(Instant expires, Instant now) {
        return !now.isBefore(expires.minus(EXPIRY).plus(RESIGN_AFTER));
    }

    private static <T extends RoleMetadata> SignedFile signed(String role, T metadata, List<SigningKey> keys) {
        Signed<T> s = Signing.sign(metadata, keys);
        return new SignedFile(role, metadata.version(), metadata.expires(), s.toBytes().toArray());
    }
}
