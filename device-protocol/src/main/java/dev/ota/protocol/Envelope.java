package dev.ota.protocol;

import dev.ota.tuf.TufException;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.crypto.Verifier;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Signature;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A document a device signs: {@code {"signed": {...}, "signatures": [{"keyid", "sig"}]}}, signed over the OLPC
 * canonical JSON of {@code signed} exactly as TUF metadata is (device-api.md, "Conventions"). {@code signedBytes}
 * are the canonical bytes of {@code signed} as received, which signatures are checked against; never a
 * re-serialisation of a parsed record.
 */
public record Envelope(JsonObject signed, List<Signature> signatures, Bytes signedBytes) {
    public Envelope {
        signatures = List.copyOf(signatures);
    }

    /** Signs {@code document} with each key (the device key; for a key rotation the old and the new key). */
    public static Envelope sign(DeviceDocument document, SigningKey... keys) {
        JsonObject signed = document.toJson();
        byte[] canonical = CanonicalJson.encode(signed);
        List<Signature> sigs = new ArrayList<>();
        for (SigningKey k : keys) sigs.add(k.sign(canonical));
        return new Envelope(signed, sigs, Bytes.of(canonical));
    }

    /**
     * Parses an envelope as a device sent it. Signatures are not checked here: see {@link #verify}.
     *
     * @throws MalformedDocumentException if the bytes are not JSON, not an envelope, or name a key id twice
     */
    public static Envelope parse(byte[] bytes) {
        JsonValue root;
        try {
            root = Json.parse(bytes, "envelope");
        } catch (TufException e) {
            throw new MalformedDocumentException("envelope", "is not valid JSON: " + e.getMessage());
        }
        Read envelope = Read.object(root, "envelope");
        JsonObject signed = envelope.child("signed").json();
        refuseNulCharacters(signed, "signed");
        List<JsonValue> list = envelope.array("signatures");
        List<Signature> sigs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Read s = Read.object(list.get(i), "envelope.signatures[" + i + "]");
            Signature sig = new Signature(s.string("keyid"), s.string("sig"));
            // A key id counted twice could pass a two-key rule (key rotation) with one key.
            if (!seen.add(sig.keyId())) throw new MalformedDocumentException(s.at("keyid"), "key id " + sig.keyId() + " signs twice");
            sigs.add(sig);
        }
        return new Envelope(signed, sigs, Bytes.of(CanonicalJson.encode(signed)));
    }

    /**
     * U+0000 is valid JSON ({@code \\u0000}) but no text a device sends has a use for it, and PostgreSQL refuses it in
     * every text column: left in, a {@code stateReason} or report detail carrying one would fail the device's every
     * check-in as a server error instead of one clear refusal.
     */
    private static void refuseNulCharacters(JsonValue value, String path) {
        if (value instanceof JsonValue.JsonString s && s.value().indexOf('\0') >= 0) {
            throw new MalformedDocumentException(path, "contains the character U+0000, which no field may hold");
        }
        if (value instanceof JsonObject o) {
            for (var member : o.members().entrySet()) {
                if (member.getKey().indexOf('\0') >= 0) {
                    throw new MalformedDocumentException(path, "has a member name with the character U+0000");
                }
                refuseNulCharacters(member.getValue(), path + "." + member.getKey());
            }
        }
        if (value instanceof JsonValue.JsonArray a) {
            for (int i = 0; i < a.elements().size(); i++) refuseNulCharacters(a.elements().get(i), path + "[" + i + "]");
        }
    }

    /** The {@code _type} of the signed document, e.g. {@code checkin}. */
    public String type() {
        return Read.object(signed, "signed").string("_type");
    }

    /**
     * Which of {@code requiredKeys} signed {@code signed} validly; the threshold is all of them (one device key,
     * or for a key rotation both the old and the new key). Signatures by other keys are ignored.
     */
    public VerificationResult verify(Key... requiredKeys) {
        byte[] data = signedBytes.toArray();
        Set<String> valid = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Key key : requiredKeys) {
            String id = key.keyId();
            boolean ok = signatures.stream().anyMatch(s -> s.keyId().equals(id) && Verifier.verify(key, data, s.sig()));
            (ok ? valid : missing).add(id);
        }
        return new VerificationResult(type(), requiredKeys.length, valid, missing);
    }

    /** The envelope as canonical JSON, the bytes a device sends. */
    public byte[] toBytes() {
        JsonObject o = JsonValue.obj("signatures", JsonValue.arr(signatures.stream().map(Signature::toJson).toList()), "signed", signed);
        return CanonicalJson.toParsableJson(CanonicalJson.encode(o));
    }
}
