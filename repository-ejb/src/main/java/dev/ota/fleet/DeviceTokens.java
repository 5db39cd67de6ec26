package dev.ota.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The bearer token a check-in hands out, derived from the check-in's bytes: a byte-identical resend gets the
 * same token (and so the same 200) while the database keeps only the token's hash. The bytes include the
 * device's signature, which no one without the device's key or the request can reproduce.
 */
public final class DeviceTokens {
    private static final byte[] DOMAIN = "ota device bearer token v1\n".getBytes(StandardCharsets.US_ASCII);

    private DeviceTokens() {
    }

    public static String derive(byte[] checkinBody) {
        MessageDigest d = sha256();
        d.update(DOMAIN);
        d.update(checkinBody);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(d.digest());
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
