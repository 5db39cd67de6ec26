package dev.ota.it;

import static dev.ota.it.ItRollouts.number;
import static dev.ota.it.ItRollouts.string;
import static dev.ota.it.ItRollouts.waves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rollouts followed by the reference agent ({@link ItAgent}) against the real server, in the server's virtual time:
 * maintenance windows expanded by the server into the director targets and obeyed by the device, a cancel that
 * withdraws a waiting order, and a bad release that trips the budget in the canary and is taken back by a rollback
 * campaign. After every agent cycle fleet.md's two invariants are checked on the device's own slots
 * ({@link FleetInvariants}).
 */
@ExtendWith(ArquillianExtension.class)
class RolloutAgentIT {
    private final ItRollouts it = ItRollouts.onItServer("lock-rag");
    private final Http http = it.http;
    private final ServerClock serverClock = it.clock;
    private final String run = it.run;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void invariantsWereChecked() {
        assertTrue(it.invariants.checks() > 0, "the scenario checked the invariants");
    }

    @Test
    void aDeviceDownloadsAtOnceButInstallsOnlyInsideTheWindowOfItsOwnTimeZone() throws Exception {
        String path = "lock-fw/win-" + run + "-42.bin";
        it.upload(path, 42, "firmware 42 HEALTHY " + run);
        ItAgent agent = it.agent("win");
        // The device lives in Tokyo; the window opens at a local time three hours from now and lasts an hour.
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        it.attributes(agent.id(), "timeZone", tokyo.getId());
        Instant now = serverClock.clock().instant();
        ZonedDateTime opens = now.plus(Duration.ofHours(3)).atZone(tokyo).truncatedTo(ChronoUnit.MINUTES);
        String window = "{\"rule\":\"FREQ=DAILY\",\"start\":\"" + opens.toLocalTime() + "\",\"durationMinutes\":60,"
                + "\"timeZone\":\"device\"}";

        String id = it.started(path, "\"canary\":1,\"waves\":[100],\"soakMinutes\":0,\"successPct\":100,"
                + "\"windows\":[" + window + "]");
        it.cycles(List.of(agent), 3);

        List<String> states = it.states(agent.id());
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "WAITING_WINDOW"), states,
                "downloaded at once, waiting for the window\n" + it.log());
        assertFalse(it.running(agent.id()).has("filepath"), "nothing installed outside the window");
        JsonObject custom = directorCustom(agent, path);
        JsonValue first = ((JsonValue.JsonArray) custom.get("installWindows")).elements().get(0);
        Instant start = opens.toInstant();
        assertEquals(JsonValue.arr(List.of(JsonValue.of(start.toString()), JsonValue.of(start.plus(Duration.ofHours(1))
                .toString()))), first, "the server expanded the rule in the device's zone into UTC instants: "
                + CanonicalJson.encodeToString(custom));
        assertEquals(JsonValue.of("respect-busy"), custom.get("installPolicy"));

        serverClock.advance(Duration.between(now, start).plusMinutes(1));
        it.cycles(List.of(agent), 3);

        assertEquals(JsonValue.of(path), it.running(agent.id()).get("filepath"), it.log());
        assertTrue(it.states(agent.id()).containsAll(List.of("INSTALLING", "TRIAL", "SUCCEEDED")),
                it.states(agent.id()).toString());
        JsonObject done = it.until(id, r -> string(r, "state").equals("COMPLETED"));
        assertEquals(1, number(waves(done).get(0), "succeeded"));
    }

    @Test
    void cancelGivesAWaitingDeviceAnEmptySignedAssignmentAndNothingIsInstalledWhenItsWindowOpens() throws Exception {
        String path = "lock-fw/cancel-" + run + "-42.bin";
        it.upload(path, 42, "firmware 42 HEALTHY " + run);
        ItAgent agent = it.agent("cancel");
        Instant now = serverClock.clock().instant();
        Instant opens = now.plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        String window = "{\"rule\":\"FREQ=DAILY\",\"start\":\"" + opens.atZone(ZoneOffset.UTC).toLocalTime()
                + "\",\"durationMinutes\":60,\"timeZone\":\"UTC\"}";
        String id = it.started(path, "\"canary\":1,\"waves\":[100],\"windows\":[" + window + "]");
        it.cycles(List.of(agent), 3);
        assertTrue(it.states(agent.id()).contains("WAITING_WINDOW"), it.states(agent.id()) + "\n" + it.log());

        assertEquals("CANCELED", string(it.command(id, "cancel"), "state"));
        it.cycles(List.of(agent), 2);

        JsonObject targets = currentTargets(agent);
        assertEquals(0, ((JsonObject) targets.get("targets")).members().size(), "an empty signed assignment: "
                + CanonicalJson.encodeToString(targets));
        assertEquals(JsonValue.obj("deviceId", JsonValue.of(agent.id())), targets.get("custom"),
                "still signed for this device only");
        serverClock.advance(Duration.between(now, opens).plusMinutes(1));
        it.cycles(List.of(agent), 2);
        assertFalse(it.running(agent.id()).has("filepath"), "the withdrawn order was never installed\n" + it.log());
        assertFalse(it.states(agent.id()).contains("INSTALLING"), it.states(agent.id()).toString());
        assertTrue(ItAudit.has(http, "assignment.cancel", e -> e.subject().equals(agent.id())
                && e.actor().equals("rollout:" + id)), "the withdrawal is audited under the rollout");
    }

    @Test
    void aBadReleaseTripsTheBudgetInTheCanaryAndARollbackCampaignTakesTheDeviceToTheReRelease() throws Exception {
        String bad = "lock-fw/bad-" + run + "-42.bin";
        String rollback = "lock-fw/rb-" + run + "-43.bin";
        it.upload(bad, 42, "firmware 42 BROKEN " + run);
        it.upload(rollback, 43, "firmware 41 again HEALTHY " + run);
        List<ItAgent> agents = it.agents("rb", 3);

        String id = it.started(bad, "\"canary\":1,\"waves\":[100],\"errorBudget\":{\"minSample\":1,\"errorPct\":50,"
                + "\"maxFailed\":1},\"onTrip\":{\"rollback\":\"" + rollback + "\"}");
        it.cycles(agents, 3);

        JsonObject halted = it.until(id, r -> string(r, "state").equals("HALTED"));
        assertEquals(1, number(waves(halted).get(0), "failed"), "the canary rolled back by itself: a failure");
        assertEquals("PENDING", string(waves(halted).get(1), "state"), "no later wave started");
        ItAgent canary = null;
        for (ItAgent a : agents) {
            if (it.states(a.id()).contains("ROLLED_BACK")) {
                canary = a;
            } else {
                assertEquals(List.of(), directorHistory(a, bad), a.id() + ": no director metadata naming the bad "
                        + "release was ever served to a device outside the canary");
            }
        }
        assertTrue(canary != null, "one canary device installed and rolled back\n" + it.log());
        assertEquals(Set.of(canary.id()), devicesSignedFor(bad), "the server signed director targets naming the bad "
                + "release, and recorded an order of it, for the canary's device only");

        JsonObject campaign = it.until(id + "-rb", r -> string(waves(r).get(1), "state").equals("ACTIVE"));
        assertEquals(rollback, string(campaign, "targetPath"));
        assertEquals(1, number(waves(campaign).get(1), "members"), "exactly the device that got the bad release");
        // The campaign's wave is ordered by the scheduler after the tick that started it, a moment that grows on a
        // loaded machine: cycles until the device took the order through, not a fixed number of them.
        ItAgent rolledBack = canary;
        it.cyclesUntil(agents, "the canary's device runs the re-release",
                () -> JsonValue.of(rollback).equals(it.running(rolledBack.id()).get("filepath")));

        JsonObject ecu = it.running(canary.id());
        assertEquals(JsonValue.of(rollback), ecu.get("filepath"), it.log());
        assertEquals(43, number(ecu, "releaseCounter"));
        it.until(id + "-rb", r -> string(r, "state").equals("COMPLETED"));
        for (ItAgent a : agents) {
            if (a != canary) {
                assertFalse(it.running(a.id()).has("filepath"), a.id() + " was never ordered");
            }
        }
        assertEquals(Set.of(canary.id()), devicesSignedFor(bad), "and none since");
        assertTrue(ItAudit.has(http, "rollout.rollback-started", e -> e.subject().equals(id + "-rb")));
    }

    /**
     * At the server's database: every device of this product line for which director targets naming {@code path}
     * were ever signed (the immutable director_file rows, whatever was served), or an order of it recorded.
     */
    private Set<String> devicesSignedFor(String path) throws Exception {
        Set<String> devices = new HashSet<>();
        try (Connection c = ItDatabase.server();
             PreparedStatement files = c.prepareStatement("SELECT device_id, content FROM director_file "
                     + "WHERE role_name = 'targets' AND device_id LIKE ?");
             PreparedStatement orders = c.prepareStatement("SELECT device_id FROM director_assignment "
                     + "WHERE target_path = ?")) {
            files.setString(1, "rb-%-" + run);
            try (ResultSet rs = files.executeQuery()) {
                while (rs.next()) {
                    if (new String(rs.getBytes(2), StandardCharsets.UTF_8).contains("\"" + path + "\"")) {
                        devices.add(rs.getString(1));
                    }
                }
            }
            orders.setString(1, path);
            try (ResultSet rs = orders.executeQuery()) {
                while (rs.next()) {
                    devices.add(rs.getString(1));
                }
            }
        }
        return devices;
    }

    /** The custom of {@code path} in the device's current director targets, fetched with its own token. */
    private JsonObject directorCustom(ItAgent agent, String path) {
        JsonObject targets = currentTargets(agent);
        JsonObject target = (JsonObject) ((JsonObject) targets.get("targets")).get(path);
        assertTrue(target != null, "the director lists " + path + ": " + CanonicalJson.encodeToString(targets));
        return (JsonObject) target.get("custom");
    }

    /** The device's current director targets ({@code signed}), fetched with its own token. */
    private JsonObject currentTargets(ItAgent agent) {
        return it.invariants.directorHistory(agent).lastEntry().getValue();
    }

    /** Every version of the device's director targets ever signed that lists {@code path}. */
    private List<Long> directorHistory(ItAgent agent, String path) {
        return it.invariants.directorHistory(agent).entrySet().stream()
                .filter(e -> ((JsonObject) e.getValue().get("targets")).has(path)).map(Map.Entry::getKey).toList();
    }
}
