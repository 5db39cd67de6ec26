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
    /** {@code v2.} and the key id: 8 lower-case hex digits. */
    private static final int KEY_ID_END = 3 + 8;
    /** The MAC: 32 bytes, 43 characters of unpadded base64url. */
    private static final int MAC_CHARS = 43;

    private DeviceTokens() {
    }

    /**
     * One of the servers' keys, with what checking a token under it needs made once rather than on every request
     * (the director poll checks a token on each of a fleet's polls): its key id, and per thread an HMAC already
     * initialised with it ({@link Mac} is not thread-safe; {@code Mac.getInstance} and {@code init} are a provider
     * look-up and a key schedule each time).
     */
    public static final class Key {
        private final byte[] bytes;
        private final String id;
        private final ThreadLocal<Mac> macs;

        public Key(byte[] bytes) {
            this.bytes = bytes.clone();
            this.id = keyId(this.bytes);
            SecretKeySpec spec = new SecretKeySpec(this.bytes, "HmacSHA256");
            this.macs = ThreadLocal.withInitial(() -> {
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(spec);
                    return mac;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("every Java runtime has HmacSHA256", e);
                }
            });
        }

        /** The MAC of a token of {@code deviceId} at {@code generation} ending at {@code expires}. */
        byte[] mac(String deviceId, long generation, long expires) {
            // Length-prefixed, as DataOutput.writeUTF writes it, so no two (id, expiry, generation) triples share an
            // input; device ids are ASCII (device-api.md), whose modified UTF-8 is one byte a character. Encoded
            // before the Mac is touched: an id writeUTF refuses (over 65,535 bytes) throws here.
            byte[] id = utf(deviceId);
            Mac mac = macs.get();
            // The thread's Mac outlives every call: whatever a call that failed part way left in it must not
            // become the start of this one's input (doFinal resets it only when it is reached).
            mac.reset();
            mac.update(DOMAIN);
            mac.update(id);
            mac.update(longBytes(expires));
            mac.update(longBytes(generation));
            return mac.doFinal();
        }
    }

    /** {@code keys} as {@link Key}s, in the same order. */
    public static List<Key> keys(List<byte[]> keys) {
        return keys.stream().map(Key::new).toList();
    }

    /** The token of {@code deviceId} at {@code generation}, ending at {@code expires}, under {@code key}. */
    public static String mint(byte[] key, String deviceId, long generation, Instant expires) {
        return mint(new Key(key), deviceId, generation, expires);
    }

    /** The token of {@code deviceId} at {@code generation}, ending at {@code expires}, under {@code key}. */
    public static String mint(Key key, String deviceId, long generation, Instant expires) {
        return "v2." + key.id + "." + expires.getEpochSecond() + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(key.mac(deviceId, generation, expires.getEpochSecond()));
    }

    /**
     * Whether {@code token} is a token of {@code deviceId} at {@code generation} that has not ended at {@code now},
     * minted under one of {@code keys} (the current key, and the previous one while its tokens live out).
     */
    public static boolean valid(String token, String deviceId, long generation, Instant now, List<byte[]> keys) {
        return check(token, deviceId, generation, now, keys(keys));
    }

    /**
     * {@link #valid} under keys made once ({@link DeviceTokenSecret#checkingKeys()}). Reads the token's shape by
     * hand, {@code v2.<8 hex>.<1 to 12 digits, no leading zero>.<43 base64url>}, rather than with a regular
     * expression: this runs on every poll of a fleet.
     */
    public static boolean check(String token, String deviceId, long generation, Instant now, List<Key> keys) {
        if (token == null || token.length() > MAX_LENGTH || !token.startsWith("v2.")) return false;
        int n = token.length();
        if (n < KEY_ID_END + 1 || token.charAt(KEY_ID_END) != '.') return false;
        for (int i = 3; i < KEY_ID_END; i++) {
            char c = token.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        int macStart = n - MAC_CHARS;
        int digits = macStart - 1 - (KEY_ID_END + 1);
        if (digits < 1 || digits > 12 || token.charAt(macStart - 1) != '.' || token.charAt(KEY_ID_END + 1) == '0') {
            return false;
        }
        long expires = 0;
        for (int i = KEY_ID_END + 1; i < macStart - 1; i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') return false;
            expires = expires * 10 + (c - '0');
        }
        for (int i = macStart; i < n; i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        if (now.getEpochSecond() >= expires) return false;
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(token.substring(macStart));
        } catch (IllegalArgumentException e) {
            return false; // 43 characters whose last holds bits past the 32 bytes
        }
        for (Key key : keys) {
            if (token.regionMatches(3, key.id, 0, 8)) {
                return MessageDigest.isEqual(presented, key.mac(deviceId, generation, expires));
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

    /** {@code s} as {@link java.io.DataOutput#writeUTF} writes it: two bytes of length, then modified UTF-8. */
    private static byte[] utf(String s) {
        int n = s.length();
        byte[] ascii = new byte[n + 2];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7f) return modifiedUtf8(s);
            ascii[i + 2] = (byte) c;
        }
        if (n > 0xffff) return modifiedUtf8(s);
        ascii[0] = (byte) (n >>> 8);
        ascii[1] = (byte) n;
        return ascii;
    }

    private static byte[] modifiedUtf8(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length() * 3 + 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
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
