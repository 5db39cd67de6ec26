package dev.ota.fleet;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer token a check-in hands out (device-api.md: opaque to the device, good for about an hour), checked
 * without the database: {@code v2.<key id>.<expiry, epoch seconds>.<HMAC-SHA256>}, the HMAC under the servers'
 * key ({@link DeviceTokenSecret}) over the device id, the expiry and the device's token generation. The
 * generation is a column of the device row that ends every token of the device when it moves (decommission, a
 * key replaced by an administrator); the caller reads it with the device's status in the statement it runs
 * anyway. The same device, expiry and generation give the same token, so a byte-identical resend of a
 * check-in gets the same 200 on any server. Nothing about the key leaves this class: the key id is a hash of
 * the key under its own domain, and the MAC is compared in constant time.
 */
public final class DeviceTokens {
    private static final byte[] DOMAIN = "ota device bearer token v2\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_ID_DOMAIN = "ota device bearer token key id\n".getBytes(StandardCharsets.US_ASCII);
    /** Anything longer is not one of ours, whatever it holds; bounds the work a stranger's header can cause. */
    private static final int MAX_LENGTH = 128;
    private static final Pattern FORMAT = Pattern.compile("v2\\.([0-9a-f]{8})\\.([1-9][0-9]{0,11})\\.([A-Za-z0-9_-]{43})");

    private DeviceTokens() {
    }

    /** The token of {@code deviceId} at {@code generation}, ending at {@code expires}, under {@code key}. */
    public static String mint(byte[] key, String deviceId, long generation, Instant expires) {
        return "v2." + keyId(key) + "." + expires.getEpochSecond() + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, deviceId, generation, expires.getEpochSecond()));
    }

    /**
     * Whether {@code token} is a token of {@code deviceId} at {@code generation} that has not ended at {@code now},
     * minted under one of {@code keys} (the current key, and the previous one while its tokens live out).
     */
    public static boolean valid(String token, String deviceId, long generation, Instant now, List<byte[]> keys) {
        if (token == null || token.length() > MAX_LENGTH) return false;
        Matcher m = FORMAT.matcher(token);
        if (!m.matches()) return false;
        long expires = Long.parseLong(m.group(2));
        if (now.getEpochSecond() >= expires) return false;
        byte[] presented = Base64.getUrlDecoder().decode(m.group(3));
        for (byte[] key : keys) {
            if (keyId(key).equals(m.group(1))) {
                return MessageDigest.isEqual(presented, mac(key, deviceId, generation, expires));
            }
        }
        return false;
    }

    /** A name for {@code key} that tokens carry, so a token of a rotated key is checked against that key. */
    static String keyId(byte[] key) {
        MessageDigest d = sha256();
        d.update(KEY_ID_DOMAIN);
        return HexFormat.of().formatHex(d.digest(key), 0, 4);
    }

    private static byte[] mac(byte[] key, String deviceId, long generation, long expires) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(DOMAIN);
            // Length-prefixed, so no two (id, expiry, generation) triples share an input.
            out.writeUTF(deviceId);
            out.writeLong(expires);
            out.writeLong(generation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(bytes.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** What is stored and looked up for enrollment tokens: the SHA-256 of the token's text, in hex. */
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
