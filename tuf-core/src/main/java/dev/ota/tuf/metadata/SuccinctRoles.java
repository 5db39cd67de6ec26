package dev.ota.tuf.metadata;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Succinct hash-bin delegation (TAP 15): {@code 2^bitLength} bins named {@code namePrefix-<hex>}, all sharing
 * one set of keys; a target path belongs to the bin given by the first {@code bitLength} bits of its SHA-256.
 */
public record SuccinctRoles(List<String> keyIds, int threshold, int bitLength, String namePrefix,
                            Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("keyids", "threshold", "bit_length", "name_prefix");

    public SuccinctRoles {
        keyIds = List.copyOf(keyIds);
        unrecognized = Map.copyOf(unrecognized);
        if (threshold < 1) throw new IllegalArgumentException("threshold must be at least 1");
        if (bitLength < 1 || bitLength > 32) throw new IllegalArgumentException("bit_length must be 1..32");
    }

    static SuccinctRoles fromJson(JsonValue v, String where) {
        JsonObject o = Fields.object(v, where);
        long bits = Fields.nonNegativeLong(Fields.required(o, "bit_length", where), where + ".bit_length");
        if (bits < 1 || bits > 32) throw new MalformedMetadataException(where + ".bit_length", "must be between 1 and 32, got " + bits);
        return new SuccinctRoles(Fields.keyIds(o, "succinct_roles", where), Fields.threshold(o, where), (int) bits,
                Fields.string(o, "name_prefix", where), Fields.unrecognized(o, KNOWN));
    }

    JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("keyids", Fields.strings(keyIds));
        m.put("threshold", JsonValue.of(threshold));
        m.put("bit_length", JsonValue.of(bitLength));
        m.put("name_prefix", JsonValue.of(namePrefix));
        return Fields.build(m, unrecognized);
    }

    public long binCount() {
        return 1L << bitLength;
    }

    private int suffixLength() {
        return (bitLength + 3) / 4;
    }

    /** The bin name for bin number {@code bin}. */
    public String binName(long bin) {
        if (bin < 0 || bin >= binCount()) throw new IllegalArgumentException("no bin " + bin);
        return namePrefix + "-" + String.format("%0" + suffixLength() + "x", bin);
    }

    /** The bin responsible for {@code targetPath}. */
    public String roleNameFor(String targetPath) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(targetPath.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long first32 = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
        return binName(first32 >>> (32 - bitLength));
    }

    /** Whether {@code roleName} is one of the bins (used to accept a delegated role's name). */
    public boolean isBin(String roleName) {
        String head = namePrefix + "-";
        if (!roleName.startsWith(head)) return false;
        String suffix = roleName.substring(head.length());
        if (suffix.length() != suffixLength() || !suffix.matches("[0-9a-f]+")) return false;
        return Long.parseLong(suffix, 16) < binCount();
    }

    public List<String> allBinNames() {
        List<String> names = new ArrayList<>();
        for (long i = 0; i < binCount(); i++) names.add(binName(i));
        return names;
    }
}
