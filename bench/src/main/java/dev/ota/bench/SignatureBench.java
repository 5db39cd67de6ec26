package dev.ota.bench;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.Verifier;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Key;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Signature verifications per second for one key type: tuf-core's {@link Verifier#verify} (the call the trusted
 * metadata set makes per signature: hex decoding, cached key, verification) over a fixed set of signed
 * messages. The same key, messages and signatures go to Node for its side.
 */
final class SignatureBench {
    /** A key with signed messages of metadata-like size; {@code label} names it in the output. */
    record Case(String label, Key key, List<byte[]> messages, List<String> signatures) {
        JsonValue toJson() {
            return JsonValue.obj(
                    "label", JsonValue.of(label),
                    "keytype", JsonValue.of(key.keyType()),
                    "scheme", JsonValue.of(key.scheme()),
                    "public", JsonValue.of(key.publicValue()),
                    "messages", JsonValue.arr(messages.stream()
                            .map(m -> JsonValue.of(Base64.getEncoder().encodeToString(m))).toList()),
                    "signatures", JsonValue.arr(signatures.stream().map(JsonValue::of).toList()));
        }
    }

    private SignatureBench() {
    }

    static Case prepare(String label, KeyType type, int count, int size, Random random) {
        SigningKey signer = SigningKey.generate(type);
        List<byte[]> messages = new ArrayList<>();
        List<String> signatures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] m = new byte[size];
            random.nextBytes(m);
            messages.add(m);
            signatures.add(signer.sign(m).sig());
        }
        return new Case(label, signer.publicKey(), messages, signatures);
    }

    /** Verifications per second of each round. Fails if any verification fails: that would be a broken benchmark. */
    static double[] tufCore(Case c, long warmupMillis, long roundMillis, int rounds) {
        int n = c.messages().size();
        byte[][] messages = c.messages().toArray(new byte[0][]);
        String[] signatures = c.signatures().toArray(new String[0]);
        Key key = c.key();
        return Harness.throughput(() -> {
            for (int i = 0; i < n; i++) {
                if (!Verifier.verify(key, messages[i], signatures[i])) {
                    throw new IllegalStateException(c.label() + ": signature " + i + " does not verify");
                }
            }
            return n;
        }, warmupMillis, roundMillis, rounds);
    }
}
