package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Signature;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A private key that signs TUF metadata, with its public {@link Key} in the format metadata lists: ed25519 as
 * 64 hex characters, ecdsa and rsa as PEM SubjectPublicKeyInfo with keytypes {@code ecdsa} and {@code rsa}.
 * Signatures: ed25519; ECDSA P-256 over SHA-256, deterministic nonces (RFC 6979), DER; RSASSA-PSS SHA-256 with a
 * 32-byte salt (the digest length, which every verifier we know accepts).
 *
 * <p>Keeping a key in a PKCS#12 {@link java.security.KeyStore}: store {@link #privateKey()} as a private key
 * entry; the JDK requires a certificate chain for that, so build a self-signed X.509 certificate over
 * {@link #jcaPublicKey()} (for instance with bcpkix's {@code JcaX509v3CertificateBuilder} and a
 * {@code JcaContentSignerBuilder} for "Ed25519", "SHA256withECDSA" or "SHA256withRSA" signed by
 * {@link #privateKey()}). Read it back with {@link #fromPrivateKey(PrivateKey, Key)} passing the key listed in
 * metadata, so the key id stays exactly the published one. The certificate carries no trust; TUF metadata does.
 *
 * <p>A key {@link #held} by a JCA provider (a PKCS#11 token through SunPKCS11) is only a handle here: the provider
 * signs, and the private half never leaves it.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the key type and key id only.
 */
public final class SigningKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RSA_BITS = 3072;
    private static final int PSS_SALT_LENGTH = 32;
    private static final byte[] MATCH_PROBE = "tuf-core: does this private key match the listed key?"
            .getBytes(StandardCharsets.UTF_8);

    private final KeyType type;
    private final AsymmetricKeyParameter privateParams;
    private final Key publicKey;
    private final String keyId;
    /** For a key {@link #held} by a provider: its handle, the provider and the public key; else all null. */
    private final PrivateKey handle;
    private final Provider provider;
    private final PublicKey heldPublicKey;

    private SigningKey(KeyType type, AsymmetricKeyParameter privateParams, Key publicKey) {
        this(type, privateParams, publicKey, null, null, null);
    }

    private SigningKey(KeyType type, AsymmetricKeyParameter privateParams, Key publicKey, PrivateKey handle,
                       Provider provider, PublicKey heldPublicKey) {
        this.type = type;
        this.privateParams = privateParams;
        this.publicKey = publicKey;
        this.keyId = publicKey.keyId();
        this.handle = handle;
        this.provider = provider;
        this.heldPublicKey = heldPublicKey;
    }

    /**
     * A key whose private half stays with {@code provider} (a PKCS#11 token through SunPKCS11, where it is
     * non-extractable): {@code handle} is the provider's reference to it, and signing goes through the provider.
     * ECDSA P-256 only (JDK 17's SunPKCS11 has no Ed25519). The public key is listed in securesystemslib's layout,
     * as an imported officer's key is, and signatures are DER as those of a key held here (the token draws its own
     * nonces, which verifiers do not see).
     *
     * @throws IllegalArgumentException if {@code publicKey} is not EC on P-256, or {@code handle} does not sign for
     *         it through {@code provider} (the message never quotes key material)
     */
    public static SigningKey held(PrivateKey handle, PublicKey publicKey, Provider provider) {
        Key listed = PublicKeyImport.fromPem(Pem.publicKey(publicKey.getEncoded()));
        if (!KeyType.ECDSA_P256.keyType().equals(listed.keyType())) {
            throw new IllegalArgumentException("a key held by a provider must be ECDSA P-256, not " + listed.keyType());
        }
        SigningKey key = new SigningKey(KeyType.ECDSA_P256, null, listed, handle, provider, publicKey);
        if (!Verifier.verify(listed, MATCH_PROBE, key.sign(MATCH_PROBE).sig())) {
            throw new IllegalArgumentException("the provider's private key does not belong to key " + listed.keyId());
        }
        return key;
    }

    /** Whether the private key is {@link #held} by a provider rather than in this object. */
    public boolean isHeld() {
        return handle != null;
    }

    /** A new ed25519 key. */
    public static SigningKey generate() {
        return generate(KeyType.DEFAULT);
    }

    /** A new key of the given type from a {@link SecureRandom}; RSA keys are 3072 bits. */
    public static SigningKey generate(KeyType type) {
        return switch (type) {
            case ED25519 -> fromParams(new Ed25519PrivateKeyParameters(RANDOM));
            case ECDSA_P256 -> {
                ECKeyPairGenerator g = new ECKeyPairGenerator();
                g.init(new ECKeyGenerationParameters(PublicKeys.P256, RANDOM));
                AsymmetricCipherKeyPair pair = g.generateKeyPair();
                yield fromParams(pair.getPrivate());
            }
            case RSA_PSS -> {
                RSAKeyPairGenerator g = new RSAKeyPairGenerator();
                g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, RSA_BITS, 128));
                yield fromParams(g.generateKeyPair().getPrivate());
            }
        };
    }

    /**
     * Rebuilds a signing key from a private key of any provider (e.g. read from a keystore), deriving the public
     * key from it: ed25519, EC on P-256, or RSA with CRT parameters of at least 2048 bits.
     *
     * @throws IllegalArgumentException if the key cannot be exported as PKCS#8 or is of another type
     */
    public static SigningKey fromPrivateKey(PrivateKey privateKey) {
        byte[] pkcs8 = privateKey.getEncoded();
        if (pkcs8 == null) {
            throw new IllegalArgumentException("private key of algorithm " + privateKey.getAlgorithm()
                    + " cannot be exported (format " + privateKey.getFormat() + "); a PKCS#8 key is required");
        }
        AsymmetricKeyParameter params;
        try {
            params = PrivateKeyFactory.createKey(pkcs8);
        } catch (IOException | RuntimeException e) {
            // No cause attached: parser messages may quote the encoding, which is private material.
            throw new IllegalArgumentException("not a supported private key (algorithm " + privateKey.getAlgorithm()
                    + "): ed25519, EC P-256 or RSA of at least 2048 bits is required");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        return fromParams(params);
    }

    /**
     * As {@link #fromPrivateKey(PrivateKey)}, but the public key is {@code publicKey} exactly as metadata lists
     * it (its PEM layout and extra fields are part of the key id), after checking that the private key signs
     * for it.
     *
     * @throws IllegalArgumentException if the private key is unsupported or does not belong to {@code publicKey}
     */
    public static SigningKey fromPrivateKey(PrivateKey privateKey, Key publicKey) {
        SigningKey derived = fromPrivateKey(privateKey);
        if (!Verifier.verify(publicKey, MATCH_PROBE, derived.sign(MATCH_PROBE).sig())) {
            throw new IllegalArgumentException("the private key does not belong to key " + publicKey.keyId()
                    + " (" + publicKey.keyType() + "/" + publicKey.scheme() + ")");
        }
        return new SigningKey(derived.type, derived.privateParams, publicKey);
    }

    private static SigningKey fromParams(AsymmetricKeyParameter params) {
        if (params instanceof Ed25519PrivateKeyParameters ed) {
            return new SigningKey(KeyType.ED25519, ed, new Key(KeyType.ED25519.keyType(), KeyType.ED25519.scheme(),
                    HexFormat.of().formatHex(ed.generatePublicKey().getEncoded())));
        }
        if (params instanceof ECPrivateKeyParameters ec) {
            if (!PublicKeys.isP256(ec.getParameters())) throw new IllegalArgumentException("EC key is not on P-256");
            ECPrivateKeyParameters onP256 = new ECPrivateKeyParameters(ec.getD(), PublicKeys.P256);
            ECPublicKeyParameters pub = new ECPublicKeyParameters(
                    new FixedPointCombMultiplier().multiply(PublicKeys.P256.getG(), ec.getD()).normalize(), PublicKeys.P256);
            return new SigningKey(KeyType.ECDSA_P256, onP256, new Key(KeyType.ECDSA_P256.keyType(),
                    KeyType.ECDSA_P256.scheme(), pem(PublicKeys.ecSpki(pub))));
        }
        if (params instanceof RSAPrivateCrtKeyParameters rsa) {
            if (rsa.getModulus().bitLength() < PublicKeys.RSA_MIN_BITS) {
                throw new IllegalArgumentException("RSA key has " + rsa.getModulus().bitLength()
                        + " bits; at least " + PublicKeys.RSA_MIN_BITS + " are required");
            }
            return new SigningKey(KeyType.RSA_PSS, rsa, new Key(KeyType.RSA_PSS.keyType(), KeyType.RSA_PSS.scheme(),
                    pem(rsaSpki(rsa))));
        }
        throw new IllegalArgumentException("unsupported private key type " + params.getClass().getSimpleName());
    }

    private static SubjectPublicKeyInfo rsaSpki(RSAPrivateCrtKeyParameters rsa) {
        try {
            return PublicKeys.rsaSpki(new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode RSA public key", e);
        }
    }

    private static String pem(SubjectPublicKeyInfo spki) {
        try {
            return Pem.publicKey(spki.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode public key", e);
        }
    }

    public KeyType type() {
        return type;
    }

    /** The public key as metadata lists it. */
    public Key publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    /** Signs {@code data} (for metadata: the canonical bytes of {@code signed}). */
    public Signature sign(byte[] data) {
        return new Signature(keyId, HexFormat.of().formatHex(signRaw(data)));
    }

    private byte[] signRaw(byte[] data) {
        if (handle != null) {
            try {
                java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA", provider);
                signer.initSign(handle);
                signer.update(data);
                return signer.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(type + " signing by " + provider.getName() + " failed: "
                        + e.getClass().getSimpleName(), e);
            }
        }
        try {
            return switch (type) {
                case ED25519 -> {
                    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
                    ((Ed25519PrivateKeyParameters) privateParams)
                            .sign(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, sig, 0);
                    yield sig;
                }
                case ECDSA_P256 -> {
                    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                    signer.init(true, privateParams);
                    BigInteger[] rs = signer.generateSignature(RsaPss.sha256(data));
                    yield StandardDSAEncoding.INSTANCE.encode(PublicKeys.P256.getN(), rs[0], rs[1]);
                }
                case RSA_PSS -> {
                    PSSSigner signer = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), PSS_SALT_LENGTH);
                    signer.init(true, new ParametersWithRandom(privateParams, RANDOM));
                    signer.update(data, 0, data.length);
                    yield signer.generateSignature();
                }
            };
        } catch (IOException | CryptoException e) {
            throw new IllegalStateException(type + " signing failed", e);
        }
    }

    /**
     * The private key as a JDK key object (PKCS#8 encodable), for storing in a keystore. Whoever calls this holds
     * private material: it must not reach logs, messages or unencrypted storage. For a key {@link #held} by a
     * provider, the provider's handle, which exports nothing and which only that provider's keystore can store.
     */
    public PrivateKey privateKey() {
        if (handle != null) {
            return handle;
        }
        byte[] pkcs8 = null;
        try {
            PrivateKeyInfo info = privateParams instanceof Ed25519PrivateKeyParameters ed
                    // RFC 8410 v1 structure without the optional public key, which every JDK version reads.
                    ? new PrivateKeyInfo(new AlgorithmIdentifier(PublicKeys.ID_ED25519),
                    new DEROctetString(ed.getEncoded()))
                    : PrivateKeyInfoFactory.createPrivateKeyInfo(privateParams);
            pkcs8 = info.getEncoded();
            return KeyFactory.getInstance(jcaAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot export " + type + " private key", e);
        } finally {
            if (pkcs8 != null) Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The public key as a JDK key object, e.g. for the self-signed certificate a keystore entry needs. */
    public PublicKey jcaPublicKey() {
        if (heldPublicKey != null) {
            return heldPublicKey;
        }
        try {
            SubjectPublicKeyInfo spki = switch (type) {
                case ED25519 -> PublicKeys.ed25519Spki(((Ed25519PrivateKeyParameters) privateParams).generatePublicKey());
                case ECDSA_P256 -> PublicKeys.ecSpki(new ECPublicKeyParameters(new FixedPointCombMultiplier()
                        .multiply(PublicKeys.P256.getG(), ((ECPrivateKeyParameters) privateParams).getD()).normalize(),
                        PublicKeys.P256));
                case RSA_PSS -> rsaSpki((RSAPrivateCrtKeyParameters) privateParams);
            };
            return KeyFactory.getInstance(jcaAlgorithm()).generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot export " + type + " public key", e);
        }
    }

    private String jcaAlgorithm() {
        return switch (type) {
            case ED25519 -> "Ed25519";
            case ECDSA_P256 -> "EC";
            case RSA_PSS -> "RSA";
        };
    }

    @Override
    public String toString() {
        return "SigningKey[" + publicKey.keyType() + "/" + publicKey.scheme() + ", keyid=" + keyId + "]";
    }
}
