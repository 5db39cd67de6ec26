package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifierTest {
    private static final byte[] DATA = "{\"_type\":\"timestamp\",\"version\":7}".getBytes(StandardCharsets.UTF_8);
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void verifiesSignatureMadeByTheSameKey(KeyType type) {
        SigningKey key = TestKeys.key(type);
        assertTrue(Verifier.verify(key.publicKey(), DATA, key.sign(DATA).sig()));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void rejectsSignatureOverTamperedData(KeyType type) {
        SigningKey key = TestKeys.key(type);
        String sig = key.sign(DATA).sig();
        byte[] tampered = DATA.clone();
        tampered[tampered.length - 2] ^= 1;
        assertFalse(Verifier.verify(key.publicKey(), tampered, sig));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void rejectsSignatureWithOneBitFlipped(KeyType type) {
        SigningKey key = TestKeys.key(type);
        byte[] sig = HEX.parseHex(key.sign(DATA).sig());
        sig[sig.length / 2] ^= 0x10;
        assertFalse(Verifier.verify(key.publicKey(), DATA, HEX.formatHex(sig)));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void rejectsSignatureMadeByAnotherKey(KeyType type) {
        assertFalse(Verifier.verify(TestKeys.key(type).publicKey(), DATA, TestKeys.other(type).sign(DATA).sig()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 20, 32, 64, -1})
    void acceptsRsaPssSignatureWithAnySaltLength(int saltLength) throws Exception {
        SigningKey key = TestKeys.key(KeyType.RSA_PSS);
        // -1: the maximum for a 3072-bit key, emLen - hLen - 2, which python's PSS.MAX_LENGTH and Node's default use.
        int salt = saltLength >= 0 ? saltLength : 384 - 32 - 2;
        java.security.Signature jdk = java.security.Signature.getInstance("RSASSA-PSS");
        jdk.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1));
        jdk.initSign(key.privateKey());
        jdk.update(DATA);
        String sig = HEX.formatHex(jdk.sign());
        assertTrue(Verifier.verify(key.publicKey(), DATA, sig));
        assertFalse(Verifier.verify(key.publicKey(), "other".getBytes(StandardCharsets.UTF_8), sig));
    }

    @Test
    void rejectsRsaKeyShorterThan2048Bits() throws Exception {
        assertTrue(jdkRsaPssVerifies(2048), "control: a 2048-bit key is accepted");
        assertFalse(jdkRsaPssVerifies(1536));
    }

    private static boolean jdkRsaPssVerifies(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        KeyPair pair = g.generateKeyPair();
        java.security.Signature jdk = java.security.Signature.getInstance("RSASSA-PSS");
        jdk.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        jdk.initSign(pair.getPrivate());
        jdk.update(DATA);
        Key key = new Key("rsa", "rsassa-pss-sha256", Pem.publicKey(pair.getPublic().getEncoded()));
        return Verifier.verify(key, DATA, HEX.formatHex(jdk.sign()));
    }

    @Test
    void acceptsEcdsaPublicKeyAsHexUncompressedPoint() {
        SigningKey key = TestKeys.key(KeyType.ECDSA_P256);
        String hexPoint = HEX.formatHex(spki(key.publicKey()).getPublicKeyData().getOctets());
        String sig = key.sign(DATA).sig();
        assertTrue(Verifier.verify(new Key("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", hexPoint), DATA, sig));
        assertTrue(Verifier.verify(new Key("ecdsa", "ecdsa-sha2-nistp256", hexPoint), DATA, sig));
        assertFalse(Verifier.verify(new Key("ecdsa", "ecdsa-sha2-nistp256", hexPoint), new byte[1], sig));
    }

    @Test
    void acceptsLegacyEcdsaKeytypeWithPemPublicKey() {
        SigningKey key = TestKeys.key(KeyType.ECDSA_P256);
        Key legacy = new Key("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", key.publicKey().publicValue());
        assertTrue(Verifier.verify(legacy, DATA, key.sign(DATA).sig()));
    }

    @Test
    void rejectsEcdsaKeyOnAnotherCurve() throws Exception {
        assertTrue(jdkEcdsaVerifies("secp256r1"), "control: a P-256 key made by the JDK is accepted");
        assertFalse(jdkEcdsaVerifies("secp384r1"));
    }

    private static boolean jdkEcdsaVerifies(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        KeyPair pair = g.generateKeyPair();
        java.security.Signature jdk = java.security.Signature.getInstance("SHA256withECDSA");
        jdk.initSign(pair.getPrivate());
        jdk.update(DATA);
        Key key = new Key("ecdsa", "ecdsa-sha2-nistp256", Pem.publicKey(pair.getPublic().getEncoded()));
        return Verifier.verify(key, DATA, HEX.formatHex(jdk.sign()));
    }

    @Test
    void rejectsEcdsaSignatureThatIsNotStrictDer() {
        SigningKey key = TestKeys.key(KeyType.ECDSA_P256);
        byte[] der = HEX.parseHex(key.sign(DATA).sig());
        // SEQUENCE { INTEGER r, INTEGER s }: pad r with a superfluous leading zero, as BER would allow.
        int rLen = der[3];
        byte[] padded = new byte[der.length + 1];
        padded[0] = 0x30;
        padded[1] = (byte) (der[1] + 1);
        padded[2] = 0x02;
        padded[3] = (byte) (rLen + 1);
        padded[4] = 0;
        System.arraycopy(der, 4, padded, 5, der.length - 4);
        assertFalse(Verifier.verify(key.publicKey(), DATA, HEX.formatHex(padded)));
        byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
        assertFalse(Verifier.verify(key.publicKey(), DATA, HEX.formatHex(trailing)));
    }

    static Stream<Arguments> malformedInputs() {
        SigningKey ed = TestKeys.key(KeyType.ED25519);
        SigningKey ec = TestKeys.key(KeyType.ECDSA_P256);
        SigningKey rsa = TestKeys.key(KeyType.RSA_PSS);
        String edPub = ed.publicKey().publicValue();
        String edSig = ed.sign(DATA).sig();
        String ecSig = ec.sign(DATA).sig();
        String rsaSig = rsa.sign(DATA).sig();
        String ecPem = ec.publicKey().publicValue();
        return Stream.of(
                Arguments.of("unknown keytype", new Key("ed448", "ed25519", edPub), edSig),
                Arguments.of("unknown scheme", new Key("ed25519", "ed25519ph", edPub), edSig),
                Arguments.of("keytype and scheme disagree", new Key("ed25519", "ecdsa-sha2-nistp256", edPub), edSig),
                Arguments.of("rsa key under ecdsa scheme", new Key("ecdsa", "ecdsa-sha2-nistp256",
                        rsa.publicKey().publicValue()), rsaSig),
                Arguments.of("ecdsa key under rsa scheme", new Key("rsa", "rsassa-pss-sha256", ecPem), ecSig),
                Arguments.of("ed25519 key too short", new Key("ed25519", "ed25519", edPub.substring(2)), edSig),
                Arguments.of("ed25519 key too long", new Key("ed25519", "ed25519", edPub + "00"), edSig),
                Arguments.of("ed25519 key not hex", new Key("ed25519", "ed25519", "zz" + edPub.substring(2)), edSig),
                Arguments.of("ed25519 key is PEM", new Key("ed25519", "ed25519", ecPem), edSig),
                Arguments.of("ecdsa PEM body garbage", new Key("ecdsa", "ecdsa-sha2-nistp256",
                        "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n"), ecSig),
                Arguments.of("ecdsa PEM not base64", new Key("ecdsa", "ecdsa-sha2-nistp256",
                        "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"), ecSig),
                Arguments.of("ecdsa PEM without footer", new Key("ecdsa", "ecdsa-sha2-nistp256",
                        ecPem.replace("-----END PUBLIC KEY-----", "")), ecSig),
                Arguments.of("ecdsa PEM truncated", new Key("ecdsa", "ecdsa-sha2-nistp256",
                        ecPem.substring(0, 60) + "\n-----END PUBLIC KEY-----\n"), ecSig),
                Arguments.of("ecdsa hex point not on curve", new Key("ecdsa", "ecdsa-sha2-nistp256",
                        "04" + "11".repeat(64)), ecSig),
                Arguments.of("ecdsa hex point compressed", new Key("ecdsa", "ecdsa-sha2-nistp256",
                        "02" + "11".repeat(32)), ecSig),
                Arguments.of("empty public key", new Key("ecdsa", "ecdsa-sha2-nistp256", ""), ecSig),
                Arguments.of("null public key", new Key("ed25519", "ed25519", null), edSig),
                Arguments.of("null keytype", new Key(null, "ed25519", edPub), edSig),
                Arguments.of("null key", null, edSig),
                Arguments.of("null signature", ed.publicKey(), null),
                Arguments.of("empty signature", ed.publicKey(), ""),
                Arguments.of("odd-length signature", ed.publicKey(), edSig.substring(1)),
                Arguments.of("non-hex signature", ed.publicKey(), "zz" + edSig.substring(2)),
                Arguments.of("ed25519 signature too short", ed.publicKey(), edSig.substring(2)),
                Arguments.of("ed25519 signature too long", ed.publicKey(), edSig + "00"),
                Arguments.of("ecdsa signature random bytes", ec.publicKey(), "ab".repeat(70)),
                Arguments.of("ecdsa signature with r = 0", ec.publicKey(), "3006020100020101"),
                Arguments.of("ecdsa signature with s = n", ec.publicKey(), "3026020101022100"
                        + "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
                Arguments.of("rsa signature one byte short", rsa.publicKey(), rsaSig.substring(2)),
                Arguments.of("rsa signature above modulus", rsa.publicKey(), "ff".repeat(384)),
                Arguments.of("rsa signature zero", rsa.publicKey(), "00".repeat(384)),
                Arguments.of("rsa signature one", rsa.publicKey(), "00".repeat(383) + "01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void malformedKeyOrSignatureIsNotValidAndDoesNotThrow(String problem, Key key, String sig) {
        assertFalse(assertDoesNotThrow(() -> Verifier.verify(key, DATA, sig)), problem);
    }

    @Test
    void nullDataIsNotValid() {
        SigningKey key = TestKeys.key(KeyType.ED25519);
        assertFalse(assertDoesNotThrow(() -> Verifier.verify(key.publicKey(), null, key.sign(DATA).sig())));
    }

    @Test
    void reusesParsedKeyForEqualKeys() {
        Key key = TestKeys.key(KeyType.ECDSA_P256).publicKey();
        Key equal = new Key(key.keyType(), key.scheme(), new String(key.publicValue()));
        assertSame(PublicKeys.parse(key), PublicKeys.parse(equal));
    }

    @Test
    void keyCacheStaysBoundedUnderManyDistinctKeys() {
        for (int i = 0; i < PublicKeys.CACHE_CAPACITY + 200; i++) {
            Verifier.verify(new Key("ed25519", "ed25519", String.format("%064x", i)), DATA, "00");
            assertTrue(PublicKeys.cacheSize() <= PublicKeys.CACHE_CAPACITY);
        }
        SigningKey key = TestKeys.key(KeyType.ED25519);
        assertTrue(Verifier.verify(key.publicKey(), DATA, key.sign(DATA).sig()), "still verifies after evictions");
    }

    private static SubjectPublicKeyInfo spki(Key key) {
        return SubjectPublicKeyInfo.getInstance(Pem.decodePublicKey(key.publicValue()).orElseThrow());
    }
}
