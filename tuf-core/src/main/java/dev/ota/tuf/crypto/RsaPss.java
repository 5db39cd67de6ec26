package dev.ota.tuf.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.MGF1BytesGenerator;
import org.bouncycastle.crypto.params.MGFParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * RSASSA-PSS-VERIFY (RFC 8017, 8.1.2 and 9.1.2) with SHA-256 and MGF1-SHA-256, recovering the salt length from
 * the encoded message as OpenSSL's {@code RSA_PSS_SALTLEN_AUTO} does. BouncyCastle's PSSSigner only verifies one
 * fixed salt length, but signers in the wild differ (python's cryptography: digest length or maximum; Node:
 * maximum by default), and the TUF scheme {@code rsassa-pss-sha256} does not fix it.
 */
final class RsaPss {
    private static final int H_LEN = 32;

    private RsaPss() {
    }

    static boolean verify(RSAKeyParameters key, byte[] data, byte[] sig) {
        BigInteger n = key.getModulus();
        int modBits = n.bitLength();
        // 8.1.2 step 1: the signature is exactly k octets.
        if (sig.length != (modBits + 7) / 8) return false;
        BigInteger s = new BigInteger(1, sig);
        if (s.compareTo(n) >= 0) return false;
        BigInteger m = s.modPow(key.getExponent(), n);
        int emBits = modBits - 1;
        // 9.1.2 step 6, and I2OSP(m, emLen) must not overflow: the top 8*emLen - emBits bits are zero.
        if (m.bitLength() > emBits) return false;
        int emLen = (emBits + 7) / 8;
        return emsaPssVerify(sha256(data), toOctets(m, emLen), emBits);
    }

    private static boolean emsaPssVerify(byte[] mHash, byte[] em, int emBits) {
        int emLen = em.length;
        if (emLen < H_LEN + 2) return false;
        if (em[emLen - 1] != (byte) 0xbc) return false;
        int dbLen = emLen - H_LEN - 1;
        byte[] h = Arrays.copyOfRange(em, dbLen, dbLen + H_LEN);
        byte[] db = new byte[dbLen];
        MGF1BytesGenerator mgf = new MGF1BytesGenerator(new SHA256Digest());
        mgf.init(new MGFParameters(h));
        mgf.generateBytes(db, 0, dbLen);
        for (int i = 0; i < dbLen; i++) db[i] ^= em[i];
        db[0] &= (byte) (0xff >>> (8 * emLen - emBits));
        // Step 10, salt length unknown: DB = PS (zeros) || 0x01 || salt.
        int i = 0;
        while (i < dbLen && db[i] == 0) i++;
        if (i == dbLen || db[i] != 0x01) return false;
        MessageDigest md = sha256();
        md.update(new byte[8]);
        md.update(mHash);
        md.update(db, i + 1, dbLen - i - 1);
        return MessageDigest.isEqual(h, md.digest());
    }

    private static byte[] toOctets(BigInteger m, int len) {
        byte[] raw = m.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return out;
    }

    static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}
