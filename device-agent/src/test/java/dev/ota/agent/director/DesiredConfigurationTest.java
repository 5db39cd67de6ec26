package dev.ota.agent.director;

import dev.ota.tuf.metadata.TargetFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DesiredConfigurationTest {
    @Test
    void desiredPropertiesReplaceOrAddToTheDevicesAndTheRestIsKept() {
        assertEquals(Map.of("device.id", "lock-0042", "name", "front door", "wifi.ssid", "lobby"),
                DesiredConfiguration.merged(Map.of("device.id", "lock-0042", "name", "old"),
                        Map.of("name", "front door", "wifi.ssid", "lobby")));
    }

    @Test
    void theDevicesOwnIdentityIsNeverTakenFromTheConfiguration() {
        assertEquals(Map.of("name", "x"), DesiredConfiguration.parse(bytes("{\"device.id\":\"other\",\"name\":\"x\"}")));
    }

    @Test
    void anythingButAnObjectOfPlainStringsIsRefused() {
        for (String json : new String[]{"[]", "\"a\"", "{\"n\":5}", "{\"n\":\"a\\u0000b\"}", "{\"\":\"v\"}", "{\"n\":\"a\",}"}) {
            assertThrows(IllegalArgumentException.class, () -> DesiredConfiguration.parse(bytes(json)), json);
        }
    }

    @Test
    void aTargetsVersionIsItsHashesAsOneWord() {
        TargetFile t = new TargetFile(3, Map.of("sha512", "bb", "sha256", "aa"), Optional.empty(), Map.of());
        assertEquals("sha256:aa,sha512:bb", DesiredConfiguration.versionOf(t));
        assertEquals("config/lock-0042.json", DesiredConfiguration.pathOf("lock-0042"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
