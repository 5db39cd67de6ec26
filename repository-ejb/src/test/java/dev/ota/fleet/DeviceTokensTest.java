package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sameCheckinBytesGiveTheSameTokenAndOtherBytesAnother() {
        byte[] body = "{\"signed\":{},\"signatures\":[]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(DeviceTokens.derive(SECRET, body), DeviceTokens.derive(SECRET, body.clone()));
        assertNotEquals(DeviceTokens.derive(SECRET, body), DeviceTokens.derive(SECRET, "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void storedHashIsNeitherTheTokenNorTheBodyHash() {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        String token = DeviceTokens.derive(SECRET, body);
        assertNotEquals(token, DeviceTokens.hash(token));
        assertNotEquals(DeviceTokens.sha256Hex(body), DeviceTokens.hash(token));
        assertEquals(64, DeviceTokens.hash(token).length());
    }

    @Test
    void whoeverSawTheCheckinBytesCannotComputeTheTokenWithoutTheServersSecret() {
        byte[] body = "{\"signed\":{},\"signatures\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] otherSecret = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        assertNotEquals(DeviceTokens.derive(SECRET, body), DeviceTokens.derive(otherSecret, body));
    }
}
