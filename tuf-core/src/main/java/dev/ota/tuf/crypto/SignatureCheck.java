package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;

import java.util.LinkedHashSet;
import java.util.Set;

/** Counts a role's valid signatures: one per distinct authorised key id, over the bytes as received. */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    public static VerificationResult verify(String role, Signed<?> metadata, RoleKeys roleKeys) {
        Set<String> valid = new LinkedHashSet<>();
        byte[] data = metadata.signedBytes().toArray();
        for (Signature s : metadata.signatures()) {
            Key key = roleKeys.keys().get(s.keyId());
            // Only keys the role authorises count; envelope parsing already rejected repeated key ids.
            if (key != null && !valid.contains(s.keyId()) && Verifier.verify(key, data, s.sig())) {
                valid.add(s.keyId());
            }
        }
        Set<String> missing = new LinkedHashSet<>(roleKeys.keyIds());
        missing.removeAll(valid);
        return new VerificationResult(role, roleKeys.threshold(), valid, missing);
    }
}
