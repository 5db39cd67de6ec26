package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Signed;

import java.time.Instant;

/**
 * One role's current metadata file: the parsed envelope and the exact bytes stored and served. The bytes are
 * computed once when the role is signed (or kept as loaded), so a publish never re-serialises a role it did
 * not change. Not a record on purpose: its bytes must always be those of its envelope, so it has no public
 * constructor.
 *
 * @param <T> the role type
 */
public final class RoleFile<T extends RoleMetadata> {
    private final String role;
    private final Signed<T> signed;
    private final Bytes bytes;

    private RoleFile(String role, Signed<T> signed, Bytes bytes) {
        this.role = role;
        this.signed = signed;
        this.bytes = bytes;
    }

    /** A freshly signed role, with the bytes {@link Signed#toBytes()} serves. */
    public static <T extends RoleMetadata> RoleFile<T> of(String role, Signed<T> signed) {
        return new RoleFile<>(role, signed, signed.toBytes());
    }

    /** The same file under another role name: every empty hash bin has identical content, signed once. */
    RoleFile<T> as(String otherRole) {
        return new RoleFile<>(otherRole, signed, bytes);
    }

    /**
     * A stored file, bytes kept exactly as they are (they are what clients already hashed).
     *
     * @throws dev.ota.tuf.MalformedMetadataException if the bytes are not such a metadata file
     */
    public static <T extends RoleMetadata> RoleFile<T> parse(String role, Bytes bytes, Class<T> type) {
        return new RoleFile<>(role, Signed.parse(bytes.toArray(), type, role), bytes);
    }

    public String role() {
        return role;
    }

    public Signed<T> signed() {
        return signed;
    }

    public T metadata() {
        return signed.signed();
    }

    public Bytes bytes() {
        return bytes;
    }

    public long version() {
        return signed.signed().version();
    }

    public Instant expires() {
        return signed.signed().expires();
    }

    /** How snapshot or timestamp lists this file: version, length and sha256. */
    public MetaFile describe() {
        return MetaFile.describing(version(), bytes);
    }

    /**
     * The name this file is stored and served under. Root is always {@code N.root.json} (clients walk the root
     * chain by version); timestamp is always {@code timestamp.json} (the one file a client fetches unversioned);
     * the others are {@code V.ROLE.json} with consistent snapshots and {@code ROLE.json} without.
     */
    public String fileName(boolean consistentSnapshot) {
        if (role.equals("timestamp")) return "timestamp.json";
        if (role.equals("root") || consistentSnapshot) return version() + "." + role + ".json";
        return role + ".json";
    }

    public MetadataFile toFile(boolean consistentSnapshot) {
        return new MetadataFile(fileName(consistentSnapshot), role, version(), expires(), bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoleFile<?> f && f.role.equals(role) && f.bytes.equals(bytes);
    }

    @Override
    public int hashCode() {
        return role.hashCode() * 31 + bytes.hashCode();
    }

    @Override
    public String toString() {
        return "RoleFile[" + role + " v" + version() + ", " + bytes.length() + " bytes]";
    }
}
