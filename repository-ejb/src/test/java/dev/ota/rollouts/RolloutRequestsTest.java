package dev.ota.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.rollout.RolloutDefinition;
import dev.ota.tuf.json.CanonicalJson;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutRequestsTest {
    private static RolloutDefinition read(String json) {
        return RolloutRequests.definition(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RolloutFailure refused(String json) {
        RolloutFailure e = assertThrows(RolloutFailure.class,
                () -> RolloutRequests.definition(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("rollout.invalid", e.code());
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        return e;
    }

    @Test
    void twoSpellingsOfOneFilterHashAlike() {
        RolloutDefinition a = read("{\"name\":\"fw\",\"targetPath\":\"lock-fw/1.5.0.bin\","
                + "\"filter\":{\"tags\":[\"b\",\"a\"],\"hardwareId\":\"lock-v2\"}}");
        RolloutDefinition b = read("{\"filter\":{\"hardwareId\":\"lock-v2\",\"tags\":[\"a\",\"b\"]},"
                + "\"targetPath\":\"lock-fw/1.5.0.bin\",\"name\":\"fw\",\"canary\":20}");

        assertEquals(a.hash(), b.hash());
        assertNotEquals(a.hash(), read("{\"name\":\"fw\",\"targetPath\":\"lock-fw/1.5.0.bin\","
                + "\"filter\":{\"hardwareId\":\"lock-v2\",\"tags\":[\"a\"]}}").hash());
    }

    @Test
    void anEmptyTagListIsTheFilterWithoutTags() {
        assertEquals(read("{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{\"tags\":[]}}").hash(),
                read("{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{}}").hash());
    }

    @Test
    void aFilterTheFleetRefusesIsAnInvalidRolloutNamingTheFilter() {
        RolloutFailure e = refused("{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{\"hardwareID\":\"x\"}}");

        assertTrue(e.getMessage().contains("filter") && e.getMessage().contains("hardwareID"), e.getMessage());
    }

    @Test
    void aWrongFieldIsRefusedByName() {
        assertTrue(refused("{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{},\"errorBudget\":{\"errorPct\":101}}")
                .getMessage().contains("errorBudget.errorPct"));
        assertTrue(refused("{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{},\"errorBuget\":{}}")
                .getMessage().contains("errorBuget"));
        assertTrue(refused("{\"name\":\"fw\",\"filter\":{}}").getMessage().contains("targetPath"));
    }

    @Test
    void aBodyThatIsNotOneJsonObjectIsAnInvalidRollout() {
        refused("");
        refused("{\"name\":\"fw\"");
        refused("{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{}} {}");
        refused("[]");
    }

    @Test
    void theShownDefinitionIsThePlainFormOfTheHashedJson() {
        RolloutDefinition d = read("{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{\"hardwareId\":\"lock-v2\"},"
                + "\"onTrip\":{\"rollback\":\"p-rb1.bin\"}}");

        Object shown = RolloutRequests.plain(d.toJson());

        assertTrue(shown instanceof Map<?, ?>);
        Map<?, ?> m = (Map<?, ?>) shown;
        assertEquals("fw", m.get("name"));
        assertEquals(BigInteger.valueOf(20), m.get("canary"));
        assertEquals(List.of(BigInteger.TEN, BigInteger.valueOf(100)), m.get("waves"));
        assertEquals(Map.of("rollback", "p-rb1.bin"), m.get("onTrip"));
        assertEquals(Map.of("hardwareId", "lock-v2"), m.get("filter"));
        assertEquals(m.keySet(), d.toJson().members().keySet());
        assertTrue(CanonicalJson.encodeToString(d.toJson()).contains("\"soakMinutes\":60"));
    }
}
