package dev.ota.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ota.error.OtaException;
import dev.ota.tuf.json.JsonValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The device page's desired configuration field: name=value lines as the JSON object the director checks. */
class DesiredPropertiesInputTest {
    @Test
    void eachLineIsOnePropertySplitAtItsFirstEqualsSign() {
        JsonValue.JsonObject read = DevicePageView.properties("name = front door\n\nwifi.key=a=b,c\r\n");

        assertEquals(Map.of("name", new JsonValue.JsonString("front door"), "wifi.key", new JsonValue.JsonString("a=b,c")),
                read.members());
    }

    @Test
    void nothingWrittenIsAnEmptyConfiguration() {
        assertEquals(Map.of(), DevicePageView.properties(null).members());
        assertEquals(Map.of(), DevicePageView.properties("  \n").members());
    }

    @Test
    void aLineWithoutANameIsRefused() {
        OtaException e = assertThrows(OtaException.class, () -> DevicePageView.properties("=value"));
        assertEquals("desired-config.invalid", e.code());
        assertThrows(OtaException.class, () -> DevicePageView.properties("just a word"));
    }
}
