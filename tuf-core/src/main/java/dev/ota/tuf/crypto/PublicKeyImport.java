package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;
import java.io.IOException;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * An officer's public key, as {@code openssl pkey -pubout} or WebCrypto's {@code exportKey('spki')} write it
 * (PEM SubjectPublicKeyInfo), turned into the {@link Key} metadata lists: ed25519 as 64 hex characters, ECDSA P-256
 * as PEM in securesystemslib's layout (re-encoded, so the same key always gets the same key id).
 */
public final class PublicKeyImport {
    private PublicKeyImport() {
    }

    /**
     * @throws IllegalArgumentException if the text is not one PEM public key, or the key is neither ed25519 nor
     *         ECDSA on P-256 (the message never quotes the input)
     */
    public static Key fromPem(String pem) {
        byte[] der = Pem.decodePublicKey(pem == null ? "" : pem)
                .orElseThrow(() -> new IllegalArgumentException("not a PEM public key (-----BEGIN PUBLIC KEY-----)"));
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the PEM block is not a SubjectPublicKeyInfo");
        }
        var algorithm = spki.getAlgorithm().getAlgorithm();
        if (PublicKeys.ID_ED25519.equals(algorithm)) {
            byte[] raw = spki.getPublicKeyData().getOctets();
            if (raw.length != 32) throw new IllegalArgumentException("an ed25519 public key has 32 bytes");
            Key key = new Key(KeyType.ED25519.keyType(), KeyType.ED25519.scheme(), HexFormat.of().formatHex(raw));
            requireUsable(key);
            return key;
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            if (!PublicKeys.P256.getName().equals(spki.getAlgorithm().getParameters())) {
                throw new IllegalArgumentException("an EC public key must be on P-256 (secp256r1)");
            }
            ECPublicKeyParameters point;
            try {
                point = new ECPublicKeyParameters(PublicKeys.P256.getCurve()
                        .decodePoint(spki.getPublicKeyData().getOctets()), PublicKeys.P256);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the EC public key is not a point on P-256");
            }
            try {
                return new Key(KeyType.ECDSA_P256.keyType(), KeyType.ECDSA_P256.scheme(),
                        Pem.publicKey(PublicKeys.ecSpki(point).getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode an EC public key", e);
            }
        }
        throw new IllegalArgumentException("only ed25519 and ECDSA P-256 keys are accepted, not " + algorithm.getId());
    }

    private static void requireUsable(Key key) {
        if (PublicKeys.parse(key) == PublicKeys.ParsedKey.UNUSABLE) {
            throw new IllegalArgumentException("the public key does not parse as " + key.keyType());
        }
    }
}
