package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceFilterQueryTest {

    @Test
    void noConditionMatchesEveryDevice() {
        DeviceFilterQuery q = DeviceFilterQuery.of(DeviceFilter.ALL);

        assertEquals("1 = 1", q.where());
        assertTrue(q.params().isEmpty());
        assertEquals("SELECT d FROM Device d WHERE 1 = 1 AND d.deviceId > :after ORDER BY d.deviceId", q.pageJpql(true));
    }

    @Test
    void everyValueIsAParameterNeverQueryText() {
        String hostile = "x' OR '1'='1";
        DeviceFilter f = new DeviceFilter("lock-v2", DeviceStatus.ACCEPTED, Set.of("eu", "beta"),
                Map.of("customer", "acme'--", "region", "eu"), "fw/" + hostile + ".bin", "busy",
                Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"), "lock-", "00");

        DeviceFilterQuery q = DeviceFilterQuery.of(f);

        assertFalse(q.where().contains("lock-v2"), q.where());
        assertFalse(q.where().contains("acme"), q.where());
        assertFalse(q.where().contains(hostile), q.where());
        assertEquals("lock-v2", q.params().get("hardwareId"));
        assertEquals(DeviceStatus.ACCEPTED, q.params().get("status"));
        assertEquals(Set.of("beta", "eu"), Set.of(q.params().get("tag0"), q.params().get("tag1")));
        assertEquals("acme'--", q.params().get("attrValue0"));
        assertEquals("customer", q.params().get("attrName0"));
        assertEquals("region", q.params().get("attrName1"));
        assertEquals("busy", q.params().get("state"));
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), q.params().get("checkinBefore"));
        assertEquals(Instant.parse("2026-11-24T10:00:00Z"), q.params().get("checkinAfter"));
        // Every named parameter in the text is bound, and every binding is used.
        for (String name : q.params().keySet()) {
            assertTrue(q.where().contains(":" + name + " ") || q.where().endsWith(":" + name)
                    || q.where().contains(":" + name + ")"), name + " in " + q.where());
        }
    }

    @Test
    void eachTagAndAttributeIsItsOwnExistsSoAllMustHold() {
        DeviceFilter f = new DeviceFilter(null, null, Set.of("a", "b"), Map.of("x", "1"), null, null, null, null,
                null, null);

        String where = DeviceFilterQuery.of(f).where();

        assertEquals(3, where.split("EXISTS").length - 1, where);
        assertEquals(3, where.split(" AND EXISTS").length, where);
        assertFalse(where.contains(" OR "), where);
    }

    @Test
    void idPrefixAndTextMatchLiterallyWithLikeWildcardsEscaped() {
        DeviceFilter f = new DeviceFilter(null, null, Set.of(), Map.of(), null, null, null, null, "lock_0", "Ab_");

        DeviceFilterQuery q = DeviceFilterQuery.of(f);

        assertEquals("lock!_0%", q.params().get("idPrefix"));
        assertEquals("%ab!_%", q.params().get("text"));
        assertTrue(q.where().contains("ESCAPE '!'"));
    }

    @Test
    void installedReleaseMatchesTheCanonicalFilepathMemberOfTheLastCheckin() {
        DeviceFilter f = new DeviceFilter(null, null, Set.of(), Map.of(), "fw/100%_\"q\".bin", null, null, null,
                null, null);

        Object pattern = DeviceFilterQuery.of(f).params().get("installed");

        assertEquals("%\"filepath\":\"fw/100!%!_\\\"q\\\".bin\"%", pattern);
    }

    @Test
    void countUsesTheSameConditions() {
        DeviceFilterQuery q = DeviceFilterQuery.of(new DeviceFilter("h", null, Set.of(), Map.of(), null, null, null,
                null, null, null));

        assertEquals("SELECT COUNT(d) FROM Device d WHERE d.hardwareId = :hardwareId", q.countJpql());
    }
}
