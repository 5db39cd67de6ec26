package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.io.IOException;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link Key} as metadata lists it into a ready-to-use public key, once: parsing PEM/ASN.1 and, for
 * ECDSA, the point precomputation BouncyCastle attaches to the parsed point, cost more than a verification.
 */
final class PublicKeys {
    /** BouncyCastle's custom P-256 curve: about six times faster than the generic curve arithmetic. */
    static final ECNamedDomainParameters P256 =
            new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, CustomNamedCurves.getByName("secp256r1"));
    /** id-Ed25519 (RFC 8410); BouncyCastle keeps its constant in an internal package. */
    static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    /** Below 2048 bits RSA is not a signature TUF accepts (spec, key types). */
    static final int RSA_MIN_BITS = 2048;
    /**
     * Upper limits as OpenSSL sets them: a key listed in hostile metadata must not turn one verification into
     * seconds of modular exponentiation.
     */
    static final int RSA_MAX_BITS = 16384;
    static final int RSA_MAX_EXPONENT_BITS = 64;

    /**
     * Enough for every key of a large delegation tree; bounded because keys come from metadata an attacker may
     * write. When full, an arbitrary entry is dropped: a miss only costs a re-parse.
     */
    static final int CACHE_CAPACITY = 1024;
    private static final Map<Key, ParsedKey> CACHE = new ConcurrentHashMap<>();

    private PublicKeys() {
    }

    /** A public key ready to verify; never null, {@link ParsedKey#UNUSABLE} for anything unsupported or malformed. */
    static ParsedKey parse(Key key) {
        ParsedKey cached = CACHE.get(key);
        if (cached != null) return cached;
        ParsedKey parsed = parseUncached(key);
        while (CACHE.size() >= CACHE_CAPACITY) {
            Iterator<Key> it = CACHE.keySet().iterator();
            if (!it.hasNext()) break;
            it.next();
            it.remove();
        }
        ParsedKey raced = CACHE.putIfAbsent(key, parsed);
        return raced != null ? raced : parsed;
    }

    static int cacheSize() {
        return CACHE.size();
    }

    private static ParsedKey parseUncached(Key key) {
        try {
            return KeyType.of(key.keyType(), key.scheme()).map(type -> switch (type) {
                case ED25519 -> ed25519(key.publicValue());
                case ECDSA_P256 -> ecdsaP256(key.publicValue());
                case RSA_PSS -> rsa(key.publicValue());
            }).orElse(ParsedKey.UNUSABLE);
        } catch (RuntimeException e) {
            // Malformed ASN.1 and invalid points surface as assorted unchecked exceptions from BouncyCastle.
            return ParsedKey.UNUSABLE;
        }
    }

    private static ParsedKey ed25519(String hex) {
        if (hex.length() != 2 * Ed25519PublicKeyParameters.KEY_SIZE) return ParsedKey.UNUSABLE;
        // The constructor rejects encodings that are not a point on the curve.
        return new ParsedKey.Ed25519Key(new Ed25519PublicKeyParameters(HexFormat.of().parseHex(hex)));
    }

    private static ParsedKey ecdsaP256(String value) {
        byte[] point;
        if (value.startsWith("-----BEGIN")) {
            SubjectPublicKeyInfo spki = spki(value);
            if (spki == null) return ParsedKey.UNUSABLE;
            AlgorithmIdentifier alg = spki.getAlgorithm();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
                    || !(alg.getParameters() instanceof ASN1ObjectIdentifier curve)
                    || !SECObjectIdentifiers.secp256r1.equals(curve)) {
                return ParsedKey.UNUSABLE;
            }
            point = spki.getPublicKeyData().getOctets();
        } else if (value.length() == 130 && value.startsWith("04")) {
            // Sigstore's roots 1-4: the uncompressed point as hex.
            point = HexFormat.of().parseHex(value);
        } else {
            return ParsedKey.UNUSABLE;
        }
        // ECPublicKeyParameters validates the point: on the curve, not infinity, in the prime-order subgroup.
        return new ParsedKey.EcdsaP256Key(new ECPublicKeyParameters(P256.getCurve().decodePoint(point), P256));
    }

    private static ParsedKey rsa(String pem) {
        SubjectPublicKeyInfo spki = spki(pem);
        if (spki == null || !PKCSObjectIdentifiers.rsaEncryption.equals(spki.getAlgorithm().getAlgorithm())) {
            return ParsedKey.UNUSABLE;
        }
        RSAPublicKey k;
        try {
            k = RSAPublicKey.getInstance(spki.parsePublicKey());
        } catch (IOException e) {
            return ParsedKey.UNUSABLE;
        }
        BigInteger n = k.getModulus();
        BigInteger e = k.getPublicExponent();
        if (n.signum() <= 0 || n.bitLength() < RSA_MIN_BITS || n.bitLength() > RSA_MAX_BITS || !n.testBit(0)
                || e.bitLength() > RSA_MAX_EXPONENT_BITS || !e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0) {
            return ParsedKey.UNUSABLE;
        }
        return new ParsedKey.RsaPssKey(new RSAKeyParameters(false, n, e));
    }

    private static SubjectPublicKeyInfo spki(String pem) {
        return Pem.decodePublicKey(pem).map(SubjectPublicKeyInfo::getInstance).orElse(null);
    }

    static SubjectPublicKeyInfo ecSpki(ECPublicKeyParameters pub) {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, P256.getName()),
                pub.getQ().getEncoded(false));
    }

    static SubjectPublicKeyInfo rsaSpki(RSAKeyParameters pub) throws IOException {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                new RSAPublicKey(pub.getModulus(), pub.getExponent()));
    }

    static SubjectPublicKeyInfo ed25519Spki(Ed25519PublicKeyParameters pub) {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(ID_ED25519), pub.getEncoded());
    }

    static boolean isP256(ECDomainParameters d) {
        return d.getN().equals(P256.getN()) && d.getH().equals(P256.getH())
                && d.getCurve().getField().getCharacteristic().equals(P256.getCurve().getField().getCharacteristic())
                && d.getCurve().getA().toBigInteger().equals(P256.getCurve().getA().toBigInteger())
                && d.getCurve().getB().toBigInteger().equals(P256.getCurve().getB().toBigInteger())
                && d.getG().normalize().getAffineXCoord().toBigInteger().equals(P256.getG().getAffineXCoord().toBigInteger())
                && d.getG().normalize().getAffineYCoord().toBigInteger().equals(P256.getG().getAffineYCoord().toBigInteger());
    }

    /** A parsed public key. Immutable and safe to share between threads: each verification makes its own signer. */
    sealed interface ParsedKey {
        ParsedKey UNUSABLE = new Unusable();

        boolean verify(byte[] data, byte[] sig);

        record Ed25519Key(Ed25519PublicKeyParameters key) implements ParsedKey {
            @Override
            public boolean verify(byte[] data, byte[] sig) {
                return sig.length == Ed25519.SIGNATURE_SIZE
                        && key.verify(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, sig, 0);
            }
        }

        record EcdsaP256Key(ECPublicKeyParameters key) implements ParsedKey {
            @Override
            public boolean verify(byte[] data, byte[] sig) {
                BigInteger[] rs;
                try {
                    // Strict DER: BouncyCastle re-encodes and compares, so padded or BER forms are refused.
                    rs = StandardDSAEncoding.INSTANCE.decode(P256.getN(), sig);
                } catch (IOException | IllegalArgumentException e) {
                    return false;
                }
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, key);
                return verifier.verifySignature(RsaPss.sha256(data), rs[0], rs[1]);
            }
        }

        record RsaPssKey(RSAKeyParameters key) implements ParsedKey {
            @Override
            public boolean verify(byte[] data, byte[] sig) {
                return RsaPss.verify(key, data, sig);
            }
        }

        /** An unknown key type or scheme, or a key that does not parse: it validates nothing. */
        final class Unusable implements ParsedKey {
            private Unusable() {
            }

            @Override
            public boolean verify(byte[] data, byte[] sig) {
                return false;
            }
        }
    }
}
