package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Instant EXPIRES = NOW.plusSeconds(3600);

    @Test
    void aMintedTokenOpensItsDeviceUntilItExpires() {
        String token = DeviceTokens.mint(KEY, "lock-1", 0, EXPIRES);

        assertTrue(DeviceTokens.valid(token, "lock-1", 0, NOW, List.of(KEY)));
        assertTrue(DeviceTokens.valid(token, "lock-1", 0, EXPIRES.minusSeconds(1), List.of(KEY)));
        assertFalse(DeviceTokens.valid(token, "lock-1", 0, EXPIRES, List.of(KEY)), "ends at its expiry");
    }

    @Test
    void theSameDeviceExpiryAndGenerationGiveTheSameTokenSoAResendGetsTheSameAnswer() {
        assertEquals(DeviceTokens.mint(KEY, "lock-1", 3, EXPIRES), DeviceTokens.mint(KEY, "lock-1", 3, EXPIRES));
    }

    @Test
    void aTokenIsRefusedForAnotherDeviceOrAfterTheDevicesGenerationMoved() {
        String token = DeviceTokens.mint(KEY, "lock-1", 0, EXPIRES);

        assertFalse(DeviceTokens.valid(token, "lock-2", 0, NOW, List.of(KEY)));
        assertFalse(DeviceTokens.valid(token, "lock-1", 1, NOW, List.of(KEY)), "revoked by decommission or key replacement");
    }

    @Test
    void aLaterExpiryWrittenIntoTheTokenBreaksItsMac() {
        String token = DeviceTokens.mint(KEY, "lock-1", 0, EXPIRES);
        String extended = token.replace("." + EXPIRES.getEpochSecond() + ".", "." + EXPIRES.plusSeconds(86_400).getEpochSecond() + ".");

        assertNotEquals(token, extended);
        assertFalse(DeviceTokens.valid(extended, "lock-1", 0, NOW, List.of(KEY)));
    }

    @Test
    void onlyTheServersKeysMintTokensTheyAccept() {
        String forged = DeviceTokens.mint(OTHER_KEY, "lock-1", 0, EXPIRES);

        assertFalse(DeviceTokens.valid(forged, "lock-1", 0, NOW, List.of(KEY)));
        assertTrue(DeviceTokens.valid(forged, "lock-1", 0, NOW, List.of(KEY, OTHER_KEY)), "a previous key's tokens live out");
    }

    @Test
    void anythingNotShapedLikeATokenIsRefusedWithoutError() {
        String token = DeviceTokens.mint(KEY, "lock-1", 0, EXPIRES);
        for (String bad : new String[] {null, "", "nope", token + "x", token.substring(1), token.replace("v2.", "v1."),
                token.substring(0, token.length() - 1) + "=", "v2.zzzzzzzz.1.abc", token + ".".repeat(200)}) {
            assertFalse(DeviceTokens.valid(bad, "lock-1", 0, NOW, List.of(KEY)), String.valueOf(bad));
        }
    }

    @Test
    void theTokenDoesNotCarryTheKey() {
        String token = DeviceTokens.mint(KEY, "lock-1", 0, EXPIRES);

        assertFalse(token.contains(new String(KEY, StandardCharsets.US_ASCII)));
        assertFalse(token.contains(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(KEY)));
        assertEquals(8, DeviceTokens.keyId(KEY).length());
    }

    /**
     * The MAC input is the device id as {@code DataOutput.writeUTF} writes it, then expiry and generation as longs:
     * what servers of the previous version compute, so their tokens and ours open each other's devices during an
     * upgrade, ASCII ids (the contract's) and any other id alike.
     */
    @Test
    void theMacIsOverTheSameBytesAsDataOutputWritesSoTokensOfEveryServerVersionAgree() throws Exception {
        for (String id : new String[] {"lock-1", "a", "x".repeat(64), "caf\u00e9-\u0000-\u20ac"}) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
                out.write("ota device bearer token v2\n".getBytes(StandardCharsets.US_ASCII));
                out.writeUTF(id);
                out.writeLong(EXPIRES.getEpochSecond());
                out.writeLong(7);
            }
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
            String expected = "v2." + DeviceTokens.keyId(KEY) + "." + EXPIRES.getEpochSecond() + "."
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(bytes.toByteArray()));

            assertEquals(expected, DeviceTokens.mint(KEY, id, 7, EXPIRES), id);
            assertTrue(DeviceTokens.check(expected, id, 7, NOW, DeviceTokens.keys(List.of(KEY))), id);
        }
    }

    /** The thread's HMAC is kept between calls: a call that fails must leave nothing in it for the next one. */
    @Test
    void aDeviceIdThatCannotBeEncodedLeavesNothingBehindForTheNextTokenOnTheSameThread() {
        DeviceTokens.Key key = DeviceTokens.keys(List.of(KEY)).get(0);
        String expected = DeviceTokens.mint(KEY, "lock-1", 0, EXPIRES);

        for (String tooLong : new String[] {"x".repeat(70_000), "\u00e9".repeat(40_000)}) {
            assertThrows(java.io.UncheckedIOException.class, () -> DeviceTokens.mint(key, tooLong, 0, EXPIRES),
                    "writeUTF encodes at most 65,535 bytes");
            assertEquals(expected, DeviceTokens.mint(key, "lock-1", 0, EXPIRES));
            assertTrue(DeviceTokens.check(expected, "lock-1", 0, NOW, List.of(key)));
        }
    }

    @Test
    void oneKeyChecksTokensOnManyThreadsAtOnce() throws Exception {
        List<DeviceTokens.Key> keys = DeviceTokens.keys(List.of(KEY));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String id = "lock-" + thread + "-" + i;
                        String token = DeviceTokens.mint(keys.get(0), id, i, EXPIRES);
                        if (!DeviceTokens.check(token, id, i, NOW, keys) || DeviceTokens.check(token, id, i + 1, NOW, keys)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (var r : results) assertTrue(r.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
