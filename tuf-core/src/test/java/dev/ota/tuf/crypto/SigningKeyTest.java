package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningKeyTest {
    private static final byte[] DATA = "{\"_type\":\"snapshot\"}".getBytes(StandardCharsets.UTF_8);
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ed25519PublicKeyIsRawKeyAs64LowercaseHexCharacters() {
        Key key = TestKeys.key(KeyType.ED25519).publicKey();
        assertEquals("ed25519", key.keyType());
        assertEquals("ed25519", key.scheme());
        assertTrue(key.publicValue().matches("[0-9a-f]{64}"), key.publicValue());
    }

    @Test
    void ecdsaPublicKeyIsPemSubjectPublicKeyInfoOnP256() {
        Key key = TestKeys.key(KeyType.ECDSA_P256).publicKey();
        assertEquals("ecdsa", key.keyType());
        assertEquals("ecdsa-sha2-nistp256", key.scheme());
        assertPemLayout(key.publicValue());
        SubjectPublicKeyInfo spki = spki(key);
        assertEquals("1.2.840.10045.2.1", spki.getAlgorithm().getAlgorithm().getId());
        assertEquals("1.2.840.10045.3.1.7", spki.getAlgorithm().getParameters().toString());
        assertEquals(65, spki.getPublicKeyData().getOctets().length, "uncompressed point");
    }

    @Test
    void rsaPublicKeyIsPemSubjectPublicKeyInfoOf3072Bits() throws Exception {
        Key key = TestKeys.key(KeyType.RSA_PSS).publicKey();
        assertEquals("rsa", key.keyType());
        assertEquals("rsassa-pss-sha256", key.scheme());
        assertPemLayout(key.publicValue());
        var rsa = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(spki(key).parsePublicKey());
        assertEquals(3072, rsa.getModulus().bitLength());
        assertEquals(BigInteger.valueOf(65537), rsa.getPublicExponent());
    }

    /** The layout python's cryptography and Node write: 64-character lines and a final newline. */
    private static void assertPemLayout(String pem) {
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem);
        assertTrue(pem.endsWith("\n-----END PUBLIC KEY-----\n"), pem);
        String[] lines = pem.split("\n");
        for (int i = 1; i < lines.length - 2; i++) assertEquals(64, lines[i].length(), pem);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void keyIdIsTheTufKeyIdOfThePublicKey(KeyType type) {
        SigningKey key = TestKeys.key(type);
        assertEquals(key.publicKey().keyId(), key.keyId());
        assertEquals(key.keyId(), key.sign(DATA).keyId());
        assertEquals(type, key.type());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void toStringShowsKeyTypeAndKeyIdOnly(KeyType type) {
        SigningKey key = TestKeys.key(type);
        assertEquals("SigningKey[" + type.keyType() + "/" + type.scheme() + ", keyid=" + key.keyId() + "]",
                key.toString());
        byte[] pkcs8 = key.privateKey().getEncoded();
        assertFalse(key.toString().contains(HEX.formatHex(pkcs8)));
        assertFalse(key.toString().contains(Base64.getEncoder().encodeToString(pkcs8)));
    }

    /** Cross-check with a second implementation: the JDK's own providers verify what we sign. */
    @ParameterizedTest
    @EnumSource(KeyType.class)
    void jdkProvidersVerifyOurSignatures(KeyType type) throws Exception {
        SigningKey key = TestKeys.key(type);
        java.security.Signature jdk = switch (type) {
            case ED25519 -> java.security.Signature.getInstance("Ed25519");
            case ECDSA_P256 -> java.security.Signature.getInstance("SHA256withECDSA");
            case RSA_PSS -> {
                java.security.Signature s = java.security.Signature.getInstance("RSASSA-PSS");
                // Exactly salt length 32: what we promise to sign with.
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
        };
        jdk.initVerify(key.jcaPublicKey());
        jdk.update(DATA);
        assertTrue(jdk.verify(HEX.parseHex(key.sign(DATA).sig())));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void roundTripsThroughPkcs12KeyStoreWithSelfSignedCertificate(KeyType type) throws Exception {
        SigningKey original = TestKeys.key(type);
        char[] password = "test-only-password".toCharArray();

        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        out.setKeyEntry(original.keyId(), original.privateKey(), password,
                new Certificate[]{selfSigned(original)});
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        out.store(file, password);

        KeyStore in = KeyStore.getInstance("PKCS12");
        in.load(new ByteArrayInputStream(file.toByteArray()), password);
        PrivateKey stored = (PrivateKey) in.getKey(original.keyId(), password);
        SigningKey reloaded = SigningKey.fromPrivateKey(stored, original.publicKey());

        assertEquals(original.keyId(), reloaded.keyId());
        assertEquals(original.publicKey(), reloaded.publicKey());
        assertEquals(original.keyId(), SigningKey.fromPrivateKey(stored).keyId(), "public key derived from private");
        assertTrue(Verifier.verify(original.publicKey(), DATA, reloaded.sign(DATA).sig()));
        assertEquals(original.jcaPublicKey(), in.getCertificate(original.keyId()).getPublicKey());
    }

    /** What the server does before storing a key: a certificate over the public key, signed by the key itself. */
    private static X509Certificate selfSigned(SigningKey key) throws Exception {
        String algorithm = switch (key.type()) {
            case ED25519 -> "Ed25519";
            case ECDSA_P256 -> "SHA256withECDSA";
            case RSA_PSS -> "SHA256withRSA";
        };
        X500Name name = new X500Name("CN=TUF key " + key.keyId().substring(0, 16));
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now),
                Date.from(now.plus(3650, ChronoUnit.DAYS)), name, key.jcaPublicKey());
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(key.privateKey())));
    }

    @Test
    void keepsTheListedPublicKeyExactlyWhenItDiffersOnlyInEncoding() {
        SigningKey ec = TestKeys.key(KeyType.ECDSA_P256);
        // Same key, legacy keytype and CRLF line ends: another key id, which must be kept as metadata lists it.
        Key listed = new Key("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", ec.publicKey().publicValue().replace("\n", "\r\n"));
        SigningKey imported = SigningKey.fromPrivateKey(ec.privateKey(), listed);
        assertEquals(listed.keyId(), imported.keyId());
        assertTrue(Verifier.verify(listed, DATA, imported.sign(DATA).sig()));
    }

    @Test
    void refusesPrivateKeyThatDoesNotBelongToTheListedKey() {
        SigningKey a = TestKeys.key(KeyType.ED25519);
        SigningKey b = TestKeys.other(KeyType.ED25519);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SigningKey.fromPrivateKey(a.privateKey(), b.publicKey()));
        assertTrue(e.getMessage().contains(b.keyId()), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SigningKey.fromPrivateKey(TestKeys.key(KeyType.ECDSA_P256).privateKey(), b.publicKey()));
    }

    @Test
    void aKeyHeldByAProviderSignsThroughItWithTheKeyIdOfTheSameKeyHeldHere() throws Exception {
        // SunEC stands in for a token here (a real SoftHSM2 token: HsmCustodyIT): the provider holds the key.
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        java.security.KeyPair pair = g.generateKeyPair();
        SigningKey held = SigningKey.held(pair.getPrivate(), pair.getPublic(), g.getProvider());
        SigningKey here = SigningKey.fromPrivateKey(pair.getPrivate());

        assertTrue(held.isHeld());
        assertFalse(here.isHeld());
        assertEquals(here.publicKey(), held.publicKey(), "same listed key, same key id as a key held here");
        assertEquals("ecdsa-sha2-nistp256", held.publicKey().scheme());
        byte[] sig = HEX.parseHex(held.sign(DATA).sig());
        assertEquals(0x30, sig[0] & 0xff, "a DER SEQUENCE, as signatures of keys held here");
        assertTrue(Verifier.verify(held.publicKey(), DATA, held.sign(DATA).sig()));
        assertFalse(Verifier.verify(held.publicKey(), "other".getBytes(StandardCharsets.UTF_8), held.sign(DATA).sig()));
        assertEquals(pair.getPrivate(), held.privateKey(), "the provider's handle, for its own keystore");
        assertEquals(pair.getPublic(), held.jcaPublicKey());
    }

    @Test
    void refusesAProviderKeyThatDoesNotSignForTheGivenPublicKeyOrIsNotP256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        java.security.KeyPair a = g.generateKeyPair();
        java.security.KeyPair b = g.generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> SigningKey.held(a.getPrivate(), b.getPublic(), g.getProvider()));
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        java.security.KeyPair e = ed.generateKeyPair();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SigningKey.held(e.getPrivate(), e.getPublic(), ed.getProvider()));
        assertTrue(refused.getMessage().contains("ECDSA P-256"), refused.getMessage());
    }

    @Test
    void refusesEcKeyOnAnotherCurve() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        PrivateKey p384 = g.generateKeyPair().getPrivate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKey.fromPrivateKey(p384));
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());
        assertNoKeyMaterial(e, p384);
    }

    @Test
    void refusesRsaKeyShorterThan2048Bits() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        PrivateKey small = g.generateKeyPair().getPrivate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKey.fromPrivateKey(small));
        assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
        assertNoKeyMaterial(e, small);
    }

    private static void assertNoKeyMaterial(Exception e, PrivateKey key) {
        String message = e.getMessage();
        assertFalse(message.contains(HEX.formatHex(key.getEncoded()).substring(0, 40)), message);
        assertFalse(message.contains(Base64.getEncoder().encodeToString(key.getEncoded()).substring(0, 40)), message);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatesADifferentKeyEachTime(KeyType type) {
        assertFalse(TestKeys.key(type).keyId().equals(TestKeys.other(type).keyId()));
    }

    private static SubjectPublicKeyInfo spki(Key key) {
        return SubjectPublicKeyInfo.getInstance(Pem.decodePublicKey(key.publicValue()).orElseThrow());
    }
}
