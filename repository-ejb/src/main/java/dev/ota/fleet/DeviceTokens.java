package dev.ota.fleet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer token a check-in hands out, derived from the check-in's bytes under the servers' secret
 * ({@link DeviceTokenSecret}): a byte-identical resend gets the same token (and so the same 200) while the
 * database keeps only the token's hash. Keyed, because a check-in's bytes are not secret: whoever saw one (a
 * proxy, a gateway's log, a reader of plain HTTP) must not be able to compute the token from them.
 */
public final class DeviceTokens {
    private static final byte[] DOMAIN = "ota device bearer token v1\n".getBytes(StandardCharsets.US_ASCII);

    private DeviceTokens() {
    }

    public static String derive(byte[] secret, byte[] checkinBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(DOMAIN);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(checkinBody));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** What is stored and looked up: the SHA-256 of the token's text, in hex. */
    public static String hash(String token) {
        return sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
