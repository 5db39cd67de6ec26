package dev.ota.tuf.repository;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.crypto.Verifier;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Signed;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What every threshold ceremony (root, top-level targets) shares: officers sign the canonical JSON of the proposed
 * role's {@code signed} object, detached, and the server reads a proposal back only from bytes that are exactly
 * canonical, so what was signed and what is published can never differ. Pure.
 */
final class CanonicalProposal {
    private CanonicalProposal() {
    }

    static Bytes signedBytes(RoleMetadata proposed) {
        return Bytes.of(CanonicalJson.encode(proposed.toJson()));
    }

    /**
     * The proposal read back from its canonical bytes, unsigned.
     *
     * @throws MalformedMetadataException if the bytes are not canonical metadata of that type
     */
    static <T extends RoleMetadata> Signed<T> read(Bytes signedBytes, String what,
                                                    BiFunction<JsonObject, String, T> reader) {
        // Canonical JSON keeps control characters raw (a PEM key's line breaks); the parser wants them escaped.
        JsonValue parsed = Json.parse(CanonicalJson.toParsableJson(signedBytes.toArray()), what);
        if (!(parsed instanceof JsonObject o)) {
            throw new MalformedMetadataException(what, "not a JSON object");
        }
        if (!Arrays.equals(CanonicalJson.encode(o), signedBytes.toArray())) {
            throw new MalformedMetadataException(what, "the bytes are not in canonical form");
        }
        return new Signed<>(reader.apply(o, what), List.of(), signedBytes, Map.of());
    }

    /**
     * @throws InsufficientSigningKeysException if the threshold {@code r} counted is not met: nothing to publish
     */
    static void requireMet(VerificationResult r) {
        if (r.thresholdMet()) return;
        Set<String> all = new LinkedHashSet<>(r.validKeyIds());
        all.addAll(r.missingKeyIds());
        throw new InsufficientSigningKeysException(r.role(), r.threshold(), all, r.validKeyIds());
    }

    /** Whether {@code sig} (hex) is {@code key}'s valid signature over the proposal's signed bytes, and nothing else. */
    static boolean signs(Key key, Bytes signedBytes, String sig) {
        return Verifier.verify(key, signedBytes.toArray(), sig);
    }
}
