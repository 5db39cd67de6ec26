package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
}
