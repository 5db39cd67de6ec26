package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
    private static JsonValue.JsonObject props(String json) {
        return (JsonValue.JsonObject) Json.parse(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    @Test
    void namesPropertiesAddedRemovedAndChanged() {
        ConfigDiff d = ConfigDiff.of(2, props("{\"name\": \"door\", \"wifi\": {\"ssid\": \"a\"}, \"old\": true}"),
                3, props("{\"name\": \"door\", \"wifi\": {\"ssid\": \"b\"}, \"new\": 5}"));

        assertEquals(Map.of("new", "5"), d.added());
        assertEquals(Map.of("old", "true"), d.removed());
        assertEquals(Map.of("wifi", new ConfigDiff.Change("{\"ssid\":\"a\"}", "{\"ssid\":\"b\"}")), d.changed());
        assertEquals(2, d.from());
        assertEquals(3, d.to());
    }

    @Test
    void stringAndNumberOfTheSameDigitsDiffer() {
        ConfigDiff d = ConfigDiff.of(1, props("{\"port\": \"5\"}"), 2, props("{\"port\": 5}"));

        assertEquals(Map.of("port", new ConfigDiff.Change("\"5\"", "5")), d.changed());
    }

    @Test
    void identicalVersionsHaveNoDifference() {
        ConfigDiff d = ConfigDiff.of(1, props("{\"a\": [1, 2]}"), 1, props("{\"a\": [1, 2]}"));

        assertEquals(0, d.added().size() + d.removed().size() + d.changed().size());
    }

    @Test
    void installedPathsReadEachEcusFilepathAndSkipEcusWithoutAnImage() {
        Map<String, String> paths = Inventory.installedPaths("{\"lock-0042\":{\"hardwareId\":\"lock-v2\",\"installed\":"
                + "{\"filepath\":\"lock-fw/1.4.0.bin\",\"length\":1}},\"aux\":{\"hardwareId\":\"aux-v1\"}}");

        assertEquals(Map.of("lock-0042", "lock-fw/1.4.0.bin"), paths);
        assertEquals(Map.of(), Inventory.installedPaths(null));
    }
}
