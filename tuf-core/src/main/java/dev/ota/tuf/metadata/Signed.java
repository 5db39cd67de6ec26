package dev.ota.tuf.metadata;

import dev.ota.tuf.DuplicateKeyIdException;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A metadata file: the {@code signed} role metadata, its signatures, and the canonical bytes of {@code signed}
 * exactly as received, which signatures are checked against (never a re-serialisation of {@code signed}).
 */
public record Signed<T extends RoleMetadata>(T signed, List<Signature> signatures, Bytes signedBytes,
                                             Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("signed", "signatures");

    public Signed {
        signatures = List.copyOf(signatures);
        unrecognized = Map.copyOf(unrecognized);
    }

    /** Wraps freshly built metadata (repository side): the signed bytes are its canonical form. */
    public static <T extends RoleMetadata> Signed<T> of(T signed, List<Signature> signatures) {
        return new Signed<>(signed, signatures, Bytes.of(CanonicalJson.encode(signed.toJson())), Map.of());
    }

    /** The same metadata with other signatures (e.g. one more in a threshold signing ceremony). */
    public Signed<T> withSignatures(List<Signature> newSignatures) {
        return new Signed<>(signed, newSignatures, signedBytes, unrecognized);
    }

    /**
     * Parses a metadata file of the given role type.
     *
     * @param type {@link Root}, {@link Timestamp}, {@link Snapshot} or {@link Targets}
     * @param where names the file in error messages
     * @throws MalformedMetadataException if the bytes are not such a file
     * @throws DuplicateKeyIdException if two signatures name the same key
     */
    public static <T extends RoleMetadata> Signed<T> parse(byte[] bytes, Class<T> type, String where) {
        JsonObject envelope = Fields.object(Json.parse(bytes, where), where);
        JsonObject signed = Fields.object(Fields.required(envelope, "signed", where), where + ".signed");
        List<Signature> sigs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonValue v : Fields.array(envelope, "signatures", where)) {
            Signature s = Signature.fromJson(v, where + ".signatures[" + i++ + "]");
            if (!seen.add(s.keyId())) throw new DuplicateKeyIdException(where, s.keyId());
            sigs.add(s);
        }
        RoleMetadata md;
        String w = where + ".signed";
        if (type == Root.class) md = Root.fromJson(signed, w);
        else if (type == Timestamp.class) md = Timestamp.fromJson(signed, w);
        else if (type == Snapshot.class) md = Snapshot.fromJson(signed, w);
        else if (type == Targets.class) md = Targets.fromJson(signed, w);
        else throw new IllegalArgumentException("not a role type: " + type);
        return new Signed<>(type.cast(md), sigs, Bytes.of(CanonicalJson.encode(signed)), Fields.unrecognized(envelope, KNOWN));
    }

    public JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("signed", Json.parse(CanonicalJson.toParsableJson(signedBytes.toArray()), "signed"));
        m.put("signatures", JsonValue.arr(signatures.stream().map(Signature::toJson).toList()));
        return Fields.build(m, unrecognized);
    }

    /**
     * The file's bytes as a repository serves them: the canonical envelope, made parsable by escaping control
     * characters (see {@link CanonicalJson#toParsableJson}). Built from the signed bytes without re-parsing
     * them, which keeps publishing a large role cheap.
     */
    public Bytes toBytes() {
        if (!unrecognized.isEmpty()) return Bytes.of(CanonicalJson.toParsableJson(CanonicalJson.encode(toJson())));
        byte[] sigs = CanonicalJson.encode(JsonValue.arr(signatures.stream().map(Signature::toJson).toList()));
        byte[] body = signedBytes.toArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(sigs.length + body.length + 32);
        // Canonical key order: "signatures" sorts before "signed".
        out.writeBytes("{\"signatures\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(CanonicalJson.toParsableJson(sigs));
        out.writeBytes(",\"signed\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(CanonicalJson.toParsableJson(body));
        out.write('}');
        return Bytes.of(out.toByteArray());
    }
}
