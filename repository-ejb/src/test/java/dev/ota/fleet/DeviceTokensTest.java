package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {
    @Test
    void sameCheckinBytesGiveTheSameTokenAndOtherBytesAnother() {
        byte[] body = "{\"signed\":{},\"signatures\":[]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(DeviceTokens.derive(body), DeviceTokens.derive(body.clone()));
        assertNotEquals(DeviceTokens.derive(body), DeviceTokens.derive("{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void storedHashIsNeitherTheTokenNorTheBodyHash() {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        String token = DeviceTokens.derive(body);
        assertNotEquals(token, DeviceTokens.hash(token));
        assertNotEquals(DeviceTokens.sha256Hex(body), DeviceTokens.hash(token));
        assertEquals(64, DeviceTokens.hash(token).length());
    }
}
