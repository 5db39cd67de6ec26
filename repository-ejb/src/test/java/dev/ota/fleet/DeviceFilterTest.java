package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceFilterTest {

    private static DeviceFilter read(String json) {
        return DeviceFilter.fromJson(Json.parse(json.getBytes(StandardCharsets.UTF_8), "test"));
    }

    private static OtaException refused(String json) {
        OtaException e = assertThrows(OtaException.class, () -> read(json));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        return e;
    }

    @Test
    void readsTheContractsHardwareIdFilter() {
        DeviceFilter f = read("{\"hardwareId\": \"lock-v2\"}");

        assertEquals("lock-v2", f.hardwareId());
        assertTrue(f.tags().isEmpty());
        assertFalse(f.matchesAll());
    }

    @Test
    void readsEveryFieldAndWritesItBackEqual() {
        String json = "{\"hardwareId\": \"lock-v2\", \"status\": \"ACCEPTED\", \"tags\": [\"eu\", \"beta\"],"
                + " \"attributes\": {\"customer\": \"acme\", \"timeZone\": \"Europe/Berlin\"},"
                + " \"installedRelease\": \"lock-fw/1.4.0.bin\", \"state\": \"idle\","
                + " \"lastCheckinBefore\": \"2026-11-25T10:00:00Z\", \"lastCheckinAfter\": \"2026-11-24T10:00:00Z\","
                + " \"idPrefix\": \"lock-00\", \"text\": \"0042\"}";

        DeviceFilter f = read(json);

        assertEquals(DeviceStatus.ACCEPTED, f.status());
        assertEquals(Set.of("eu", "beta"), f.tags());
        assertEquals(Map.of("customer", "acme", "timeZone", "Europe/Berlin"), f.attributes());
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), f.lastCheckinBefore());
        assertEquals(f, DeviceFilter.fromJson(f.toJson()));
    }

    @Test
    void emptyObjectMatchesEveryDevice() {
        assertTrue(read("{}").matchesAll());
    }

    @Test
    void unknownFieldIsRefusedByName() {
        OtaException e = refused("{\"hardwareID\": \"lock-v2\"}");

        assertEquals("filter.invalid", e.code());
        assertTrue(e.getMessage().contains("hardwareID"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"hardwareId\": 5}", "{\"hardwareId\": null}", "{\"tags\": \"eu\"}",
            "{\"tags\": [\"eu\", \"eu\"]}", "{\"tags\": [1]}", "{\"attributes\": {\"a\": 1}}", "{\"attributes\": []}",
            "{\"status\": \"accepted\"}", "{\"state\": \"sleeping\"}", "{\"lastCheckinBefore\": \"2026-11-25\"}",
            "{\"lastCheckinBefore\": \"2026-11-25T23:59:60Z\"}", "{\"lastCheckinBefore\": \"2026-02-30T10:00:00Z\"}",
            "{\"idPrefix\": \"lock%\"}", "{\"text\": \"\"}", "{\"hardwareId\": \"lock v2\"}",
            "{\"tags\": [\"e\\u202eu\"]}", "{\"attributes\": {\"timeZone\": \"Mars/Olympus\"}}",
            "{\"attributes\": {\"1bad\": \"x\"}}", "{\"installedRelease\": \"\"}",
            "{\"lastCheckinBefore\": \"2026-11-24T10:00:00Z\", \"lastCheckinAfter\": \"2026-11-25T10:00:00Z\"}", "[]"})
    void refusesWrongTypesAndValuesWithA400(String json) {
        refused(json);
    }

    @Test
    void timeZoneAttributeMustBeAJavaTimeZoneId() {
        OtaException e = refused("{\"attributes\": {\"timeZone\": \"Europe/Atlantis\"}}");

        assertEquals("device.time-zone-invalid", e.code());
        assertEquals("Europe/Berlin", read("{\"attributes\": {\"timeZone\": \"Europe/Berlin\"}}")
                .attributes().get("timeZone"));
    }

    @Test
    void refusalMessageShowsHostileTextEscaped() {
        OtaException e = refused("{\"x\\u202e\\u0000\": 1}");

        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), e.getMessage());
    }

    @Test
    void isImmutable() {
        java.util.Set<String> tags = new java.util.HashSet<>(Set.of("eu"));
        DeviceFilter f = new DeviceFilter(null, null, tags, Map.of(), null, null, null, null, null, null);
        tags.add("us");

        assertEquals(Set.of("eu"), f.tags());
        assertThrows(UnsupportedOperationException.class, () -> f.tags().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> f.attributes().put("a", "b"));
    }
}
