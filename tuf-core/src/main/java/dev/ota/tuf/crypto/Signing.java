package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Repository side: signs role metadata, at once or one key at a time in a threshold ceremony. */
public final class Signing {
    private Signing() {
    }

    /**
     * Wraps {@code metadata} in an envelope signed by each key over its canonical bytes. An empty list gives an
     * unsigned envelope, to which a ceremony adds signatures with {@link #addSignature}.
     *
     * @throws IllegalArgumentException if two keys have the same key id (TUF envelopes may not repeat one)
     */
    public static <T extends RoleMetadata> Signed<T> sign(T metadata, List<SigningKey> keys) {
        Signed<T> unsigned = Signed.of(metadata, List.of());
        byte[] data = unsigned.signedBytes().toArray();
        Set<String> seen = new HashSet<>();
        List<Signature> sigs = new ArrayList<>(keys.size());
        for (SigningKey key : keys) {
            if (!seen.add(key.keyId())) throw new IllegalArgumentException("key " + key.keyId() + " given twice");
            sigs.add(key.sign(data));
        }
        return unsigned.withSignatures(sigs);
    }

    /**
     * The same envelope with {@code key}'s signature over its signed bytes as they are (not re-serialised), so
     * metadata received from elsewhere keeps the bytes other signers signed. A signature already present under the
     * same key id is replaced in place; otherwise the new one is appended.
     */
    public static <T extends RoleMetadata> Signed<T> addSignature(Signed<T> metadata, SigningKey key) {
        Signature sig = key.sign(metadata.signedBytes().toArray());
        List<Signature> sigs = new ArrayList<>(metadata.signatures().size() + 1);
        boolean replaced = false;
        for (Signature s : metadata.signatures()) {
            if (s.keyId().equals(key.keyId())) {
                sigs.add(sig);
                replaced = true;
            } else {
                sigs.add(s);
            }
        }
        if (!replaced) sigs.add(sig);
        return metadata.withSignatures(sigs);
    }
}
