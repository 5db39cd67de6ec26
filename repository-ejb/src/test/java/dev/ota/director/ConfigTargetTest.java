package dev.ota.director;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.tuf.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTargetTest {
    @Test
    void theTargetIsTheCanonicalJsonOfThePropertiesUnderConfigSlashTheDeviceId() {
        ConfigTarget t = ConfigTarget.of("lock-0042", JsonValue.obj("wifi.ssid", JsonValue.of("door"), "a", JsonValue.of("1")));

        assertEquals("config/lock-0042.json", t.path());
        assertArrayEquals("{\"a\":\"1\",\"wifi.ssid\":\"door\"}".getBytes(StandardCharsets.UTF_8), t.bytes());
        assertEquals(Map.of("a", "1", "wifi.ssid", "door"), t.properties());
        assertEquals(t.sha256(), ConfigTarget.of("lock-0042", JsonValue.obj("a", JsonValue.of("1"),
                "wifi.ssid", JsonValue.of("door"))).sha256(), "the same properties in any order are the same version");
    }

    @Test
    void itIsServedUnderItsPlainNameAndUnderItsHashPrefixedNameOnly() {
        ConfigTarget t = ConfigTarget.of("lock-0042", JsonValue.obj("a", JsonValue.of("1")));

        assertTrue(t.servedAs("lock-0042.json"));
        assertTrue(t.servedAs(t.sha256() + ".lock-0042.json"));
        assertFalse(t.servedAs("0".repeat(64) + ".lock-0042.json"));
        assertFalse(t.servedAs("lock-0043.json"));
    }

    @Test
    void somethingOtherThanAnObjectIsRefused() {
        assertRefused(JsonValue.of("a=b"), "desired-config.invalid", ErrorKind.INVALID_INPUT);
        assertRefused(JsonValue.arr(List.of()), "desired-config.invalid", ErrorKind.INVALID_INPUT);
        assertRefused(null, "desired-config.invalid", ErrorKind.INVALID_INPUT);
    }

    @Test
    void badPropertyNamesAreRefused() {
        for (String name : List.of("", ".hidden", "with space", "a=b", "a:b", "x".repeat(129), "format", "device.id", "ü")) {
            assertRefused(JsonValue.obj(name, JsonValue.of("v")), "desired-config.invalid", ErrorKind.INVALID_INPUT);
        }
    }

    @Test
    void valuesMustBeShortStringsWithoutControlCharacters() {
        assertRefused(JsonValue.obj("n", JsonValue.of(5)), "desired-config.invalid", ErrorKind.INVALID_INPUT);
        assertRefused(JsonValue.obj("n", JsonValue.obj()), "desired-config.invalid", ErrorKind.INVALID_INPUT);
        assertRefused(JsonValue.obj("n", JsonValue.of("line\nbreak")), "desired-config.invalid", ErrorKind.INVALID_INPUT);
        assertRefused(JsonValue.obj("n", JsonValue.of("x".repeat(ConfigTarget.MAX_VALUE + 1))), "desired-config.invalid",
                ErrorKind.INVALID_INPUT);
    }

    @Test
    void tooManyPropertiesOrTooManyBytesAreRefusedAsTooLarge() {
        Map<String, JsonValue> many = new LinkedHashMap<>();
        for (int i = 0; i <= ConfigTarget.MAX_PROPERTIES; i++) many.put("p" + i, JsonValue.of("v"));
        assertRefused(new JsonValue.JsonObject(many), "desired-config.too-large", ErrorKind.TOO_LARGE);

        Map<String, JsonValue> big = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) big.put("p" + i, JsonValue.of("x".repeat(ConfigTarget.MAX_VALUE)));
        assertRefused(new JsonValue.JsonObject(big), "desired-config.too-large", ErrorKind.TOO_LARGE);
    }

    private static void assertRefused(JsonValue properties, String code, ErrorKind kind) {
        DirectorFailure e = assertThrows(DirectorFailure.class, () -> ConfigTarget.of("lock-0042", properties));
        assertEquals(code, e.code());
        assertEquals(kind, e.kind());
    }

    @Test
    void eachLineOfTheFormIsOnePropertySplitAtItsFirstEqualsSign() {
        JsonValue.JsonObject read = ConfigTarget.propertiesOfLines("name = front door\n\nwifi.key=a=b,c\r\n");

        assertEquals(Map.of("name", new JsonValue.JsonString("front door"), "wifi.key", new JsonValue.JsonString("a=b,c")),
                read.members());
        assertEquals(Map.of(), ConfigTarget.propertiesOfLines(null).members());
        assertEquals(Map.of(), ConfigTarget.propertiesOfLines("  \n").members());
    }

    @Test
    void aFormLineWithoutANameOrANameGivenTwiceIsRefusedNamingTheLine() {
        DirectorFailure noName = assertThrows(DirectorFailure.class, () -> ConfigTarget.propertiesOfLines("a=1\n=value"));
        assertEquals("desired-config.invalid", noName.code());
        assertTrue(noName.getMessage().startsWith("line 2 "), noName.getMessage());
        assertThrows(DirectorFailure.class, () -> ConfigTarget.propertiesOfLines("just a word"));
        DirectorFailure twice = assertThrows(DirectorFailure.class, () -> ConfigTarget.propertiesOfLines("name=a\n\n name =b"));
        assertTrue(twice.getMessage().startsWith("line 3 sets 'name' again"), twice.getMessage());
    }
}
