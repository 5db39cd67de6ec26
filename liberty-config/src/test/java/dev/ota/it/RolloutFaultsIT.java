package dev.ota.it;

import static dev.ota.it.ItRollouts.json;
import static dev.ota.it.ItRollouts.number;
import static dev.ota.it.ItRollouts.string;
import static dev.ota.it.ItRollouts.waves;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.it.ItProxy.Answer;
import dev.ota.protocol.Checkin;
import dev.ota.protocol.Envelope;
import dev.ota.protocol.Report;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * fleet.md's "Proving it" scenarios of faults during a rollout: a man in the middle rewriting one device's director
 * or image bytes, replayed check-ins and check-ins signed by a wrong key, the error budget's minimum sample, and the
 * simulator's flaky download and crash after install profiles. Reference agents ({@link ItAgent}) against the real
 * server in its virtual time, some of them reaching it through a man in the middle ({@link ItProxy}); both invariants
 * checked after every agent cycle ({@link FleetInvariants}). Runs on H2 and, in the it-postgresql execution, on
 * PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class RolloutFaultsIT {
    /**
     * Two devices, both in the canary, which passes as soon as both succeeded; any failure counted trips the budget
     * and cancels the rollout, so a scenario that completes counted none.
     */
    private static final String STRICT = "\"canary\":2,\"waves\":[100],\"successPct\":100,\"soakMinutes\":0,"
            + "\"errorBudget\":{\"minSample\":1,\"errorPct\":1,\"maxFailed\":1},\"onTrip\":\"CANCEL\"";
    private static ItProxy proxy;

    private final ItRollouts it = ItRollouts.onItServer("lock-flt");

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void invariantsWereCheckedAndTheProxyDisarmed() {
        if (proxy != null) {
            proxy.hook = ItProxy.PASS;
        }
        assertTrue(it.invariants.checks() > 0, "the scenario checked the invariants");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aManInTheMiddleRewritingOneDevicesDirectorMetadataIsRefusedAsAnAttackAndPausesTheRolloutAtOnce()
            throws Exception {
        ItAgent victim = attackedDuringARollout(true);

        String refusal = refusal(victim);
        assertTrue(refusal.startsWith("attack: director metadata rejected: "), refusal);
        assertTrue(ItAudit.has(it.http, "rollout.refusal-counted",
                e -> e.detail().contains("device " + victim.id() + " refused")),
                "counted against the order in force, though filed under an action id of the device's own");
        // Nothing altered on the way was trusted: at most the genuine withdrawal of the counted order, which lists
        // nothing for the man in the middle to change.
        Path trustedTargets = victim.dir().resolve("data").resolve("director").resolve("targets.json");
        if (Files.exists(trustedTargets)) {
            JsonObject signed = (JsonObject) ((JsonObject) dev.ota.tuf.json.Json.parse(Files.readAllBytes(trustedTargets),
                    "targets.json")).get("signed");
            assertEquals(List.of(), List.copyOf(((JsonObject) signed.get("targets")).members().keySet()),
                    "the device trusts no order it was sent on the way");
        }

        // The attack stops: the counted order was withdrawn, so the device cannot take it now, uncounted.
        proxy.hook = ItProxy.PASS;
        it.cycles(List.of(victim), 3);
        assertEquals(List.of(), it.ordered(victim), "no order in force for the victim\n" + it.log());
        assertTrue(ItAudit.has(it.http, "assignment.cancel", e -> e.subject().equals(victim.id())),
                "the withdrawal is audited");
        assertFalse(it.states(victim.id()).contains("INSTALLING"), it.states(victim.id()).toString());
        assertEquals(Optional.empty(), victim.committed(), "the victim installed nothing");
    }

    @Test
    void aManInTheMiddleRewritingOneDevicesImageBytesIsRefusedAsAnAttackAndPausesTheRolloutAtOnce() throws Exception {
        ItAgent victim = attackedDuringARollout(false);

        String refusal = refusal(victim);
        assertTrue(refusal.startsWith("attack: lock-fw/mitm-" + it.run + "-42.bin rejected on download: "), refusal);
        assertEquals(Map.of(), files(victim.dir().resolve("state").resolve("staging")), "nothing downloaded is kept");
    }

    /**
     * A rollout of a genuine release to a healthy device and a victim whose director metadata ({@code director}) or
     * image bytes a man in the middle rewrites: the victim refuses as an attack and installs nothing, the rollout
     * pauses at once on the alarm (only an alarm pauses it: a tripped budget or failed wave would cancel it), and the
     * healthy device, whose order a pause leaves in force, installs the genuine release. Returns the victim.
     */
    private ItAgent attackedDuringARollout(boolean director) throws Exception {
        String path = release("mitm");
        ItAgent healthy = it.agent("healthy");
        ItAgent victim = it.agent(director ? "mitm-director" : "mitm-image");
        List<ItAgent> agents = List.of(healthy, victim);
        ItProxy mitm = proxy();
        it.reconfigure(victim, Map.of(director ? "director.url" : "image.url", mitm.base()));
        String directorTargets = "/director/" + victim.id() + "/metadata/";
        mitm.hook = (request, forward) -> {
            Answer a = forward.apply(request);
            if (a.status() == 200 && request.path().startsWith(directorTargets) && request.path().endsWith(".targets.json")) {
                // The order, one field changed on the way: the director's signature no longer covers it.
                return a.withBody(new String(a.body(), StandardCharsets.UTF_8)
                        .replace("\"releaseCounter\":42", "\"releaseCounter\":43").getBytes(StandardCharsets.UTF_8));
            }
            if (a.status() == 200 && request.path().startsWith("/targets/")) {
                byte[] b = a.body().clone();
                b[b.length / 2] ^= 0x5a;
                return a.withBody(b);
            }
            return a;
        };
        String id = it.started(path, "\"canary\":2,\"waves\":[100],\"successPct\":1,\"soakMinutes\":600,"
                + "\"onTrip\":\"CANCEL\"");
        JsonObject paused = it.cyclesUntil(agents, id, r -> !string(r, "state").equals("RUNNING"));

        assertEquals("PAUSED", string(paused, "state"), it.log());
        assertEquals("ACTIVE", string(waves(paused).get(0), "state"), "an alarm pauses; the wave has not failed");
        assertEquals(1, number(waves(paused).get(0), "failed"), "the refusal counts, as attack:");
        assertTrue(ItAudit.has(it.http, "rollout.alarm", e -> e.subject().equals(id)),
                "the alarm is raised");
        it.cyclesUntil(agents, "the healthy device installed", () -> healthy.committed().isPresent());
        it.cycles(agents, 1);

        assertEquals(Optional.of(path), healthy.committed().map(r -> r.target()), it.log());
        assertTrue(it.states(healthy.id()).stream().noneMatch(s -> s.equals("REFUSED")), it.log());
        assertEquals(Optional.empty(), victim.committed(), "the victim installed nothing");
        assertEquals(Optional.empty(), victim.onTrial(), "the victim tries nothing");
        assertFalse(it.states(victim.id()).contains("INSTALLING"), it.states(victim.id()).toString());
        JsonObject after = it.rollout(id);
        assertEquals("PAUSED", string(after, "state"));
        assertEquals(1, number(waves(after).get(0), "succeeded"));
        assertEquals(1, number(waves(after).get(0), "failed"));
        assertJournalsEqualTheServer(agents);
        return victim;
    }

    @Test
    void replayedCheckInsAndCheckInsSignedByAWrongKeyAreRefusedAndNothingOfThemCounts() throws Exception {
        String path = release("replay");
        ItAgent victim = it.agent("replayed");
        ItAgent other = it.agent("other");
        List<ItAgent> agents = List.of(victim, other);
        // Everything the victim sends and gets back, as someone on its network sees it.
        List<byte[]> sent = new CopyOnWriteArrayList<>();
        List<byte[]> answered = new CopyOnWriteArrayList<>();
        String checkins = "/devices/v1/" + victim.id() + "/checkins";
        ItProxy wire = proxy();
        wire.hook = (request, forward) -> {
            Answer a = forward.apply(request);
            if (request.path().equals(checkins) && a.status() == 200) {
                sent.add(request.body());
                answered.add(a.body());
            }
            return a;
        };
        it.reconfigure(victim, Map.of("server.url", wire.base()));
        String id = it.started(path, STRICT);
        it.cyclesUntil(agents, "the victim's first reports reached the server", () -> it.reports(victim.id()).size() >= 2
                && sent.size() >= 3);
        Report taken = victim.journalReports().get(0);
        long counter = victim.runner().session().journal().lastCounter();
        int before = it.reports(victim.id()).size();

        // A captured check-in sent again later: not the last one, so its counter is not above the last.
        assertRefused(409, "checkin.replayed", post(victim, sent.get(sent.size() - 2)));
        // The same counter, the device's own key, another report: the counter decides, not the signature.
        Report forged = new Report(taken.actionId(), taken.seq() + 50, Report.State.FAILED, now(), "install: forged");
        assertRefused(409, "checkin.replayed", post(victim, victim.runner().session().identity()
                .sign(checkin(victim, counter, forged)).toBytes()));
        // A higher counter, signed by another enrolled device's key or by a stranger's.
        assertRefused(401, "device.bad-signature", post(victim, other.runner().session().identity()
                .sign(checkin(victim, counter + 100, forged)).toBytes()));
        assertRefused(401, "device.bad-signature", post(victim, Envelope.sign(checkin(victim, counter + 101, forged),
                SigningKey.generate()).toBytes()));
        // A captured check-in with its counter raised on the way: the device's signature no longer covers it.
        String last = new String(sent.get(sent.size() - 1), StandardCharsets.UTF_8);
        String raised = last.replace("\"counter\":" + counter, "\"counter\":" + (counter + 102));
        assertFalse(raised.equals(last), "the counter was rewritten: " + last);
        assertRefused(401, "device.bad-signature", post(victim, raised.getBytes(StandardCharsets.UTF_8)));
        // The last check-in byte for byte (its reply lost, say): the same answer, nothing stored again.
        HttpResponse<byte[]> resent = post(victim, sent.get(sent.size() - 1));
        assertEquals(200, resent.statusCode(), Http.text(resent));
        assertArrayEquals(answered.get(answered.size() - 1), resent.body(), "the same 200 as first sent");
        assertEquals(before, it.reports(victim.id()).size(), "nothing stored by the refused or resent check-ins");
        assertEquals(0, number(waves(it.rollout(id)).get(0), "failed"));

        // The device goes on with its own next counter: nothing refused moved it.
        JsonObject done = it.cyclesUntil(agents, id, r -> !string(r, "state").equals("RUNNING"));
        assertEquals("COMPLETED", string(done, "state"), it.log());
        assertEquals(2, number(waves(done).get(0), "succeeded"));
        assertEquals(0, number(waves(done).get(0), "failed"), "no forged failure counted");
        assertTrue(it.reports(victim.id()).stream().noneMatch(r -> r.detail().contains("forged")));
        assertJournalsEqualTheServer(agents);
    }

    @Test
    void failuresBelowTheMinimumSampleDoNotTripTheBudgetAndOnceTheSampleIsReachedItTripsAndCancels() throws Exception {
        String path = release("sample");
        ItAgent sick1 = it.agent("sick-1");
        ItAgent sick2 = it.agent("sick-2");
        ItAgent fine = it.agent("fine");
        ItAgent late = it.agent("late");
        ItAgent held = it.agent("held");
        List<ItAgent> agents = List.of(sick1, sick2, fine, late, held);
        // A variant whose health check fails on the new release: it falls back by itself, a failure (health:).
        for (ItAgent sick : List.of(sick1, sick2)) {
            it.reconfigure(sick, Map.of("health.command", "false"));
        }
        late.veto("busy");
        held.veto("critical");
        // Trips at 50% failed from 4 completed; the absolute cap and the wave's own threshold stay out of the way.
        String id = it.started(path, "\"canary\":5,\"waves\":[100],\"successPct\":1,\"soakMinutes\":600,"
                + "\"errorBudget\":{\"minSample\":4,\"errorPct\":50,\"maxFailed\":100},\"onTrip\":\"CANCEL\"");

        it.cyclesUntil(agents, "two failed, one succeeded, two wait", () -> it.states(sick1.id()).contains("ROLLED_BACK")
                && it.states(sick2.id()).contains("ROLLED_BACK") && it.states(fine.id()).contains("SUCCEEDED")
                && it.states(late.id()).contains("WAITING_DEVICE") && it.states(held.id()).contains("WAITING_DEVICE"));
        it.cycles(agents, 2);

        // The counts are the scheduler's (its tick takes in the reports), which may lag the device's on a loaded
        // machine: the state is read with the counts that decided it.
        JsonObject below = it.until(id, r -> number(waves(r).get(0), "failed") == 2
                && number(waves(r).get(0), "succeeded") == 1);
        assertEquals("RUNNING", string(below, "state"), "2 of 3 completed failed, but the sample is 4\n" + it.log());
        assertFalse(ItAudit.has(it.http, "rollout.tripped", e -> e.subject().equals(id)));

        // The fourth device completes, a success: 2 of 4 failed is 50% from the minimum sample on.
        late.veto("idle");
        JsonObject tripped = it.cyclesUntil(agents, id, r -> !string(r, "state").equals("RUNNING"));

        assertEquals("CANCELED", string(tripped, "state"), it.log());
        assertEquals("FAILED", string(waves(tripped).get(0), "state"));
        assertEquals(2, number(waves(tripped).get(0), "succeeded"));
        assertEquals(2, number(waves(tripped).get(0), "failed"));
        assertTrue(ItAudit.has(it.http, "rollout.tripped", e -> e.subject().equals(id)
                && e.detail().contains("2 of 4 completed devices failed")), "the trip is audited with why");
        // onTrip CANCEL: the waiting device's order is withdrawn by an empty signed assignment, never installed.
        it.cycles(agents, 2);
        JsonObject targets = it.invariants.directorHistory(held).lastEntry().getValue();
        assertEquals(0, ((JsonObject) targets.get("targets")).members().size(), "an empty signed assignment");
        held.veto("idle");
        it.cycles(agents, 2);
        assertEquals(Optional.empty(), held.committed(), "the withdrawn order was never installed\n" + it.log());
        assertFalse(it.states(held.id()).contains("INSTALLING"));
        assertJournalsEqualTheServer(agents);
    }

    @Test
    void aFlakyDownloadIsRetriedAsNewSignedAttemptsAfterTheBackoffAndInstallsWithoutAFailureCounted()
            throws Exception {
        String path = release("flaky");
        ItAgent flaky = it.agent("flaky");
        ItAgent steady = it.agent("steady");
        List<ItAgent> agents = List.of(flaky, steady);
        AtomicInteger downloads = new AtomicInteger();
        ItProxy link = proxy();
        // The flaky device's link to the image store fails its first two downloads: first the store is unavailable,
        // then the connection drops in the middle of the image.
        link.hook = (request, forward) -> {
            if (!request.path().startsWith("/targets/")) {
                return forward.apply(request);
            }
            return switch (downloads.incrementAndGet()) {
                case 1 -> new Answer(503, Map.of("Content-Type", "text/plain"), "unavailable".getBytes(StandardCharsets.UTF_8));
                case 2 -> ItProxy.cutAfter(forward.apply(request), 10);
                default -> forward.apply(request);
            };
        };
        it.reconfigure(flaky, Map.of("image.url", link.base()));
        String id = it.started(path, STRICT + ",\"retry\":{\"maxAttempts\":3,\"backoffMinutes\":10,\"maxBackoffMinutes\":360}");

        // The server stores the failure and waits: 10 minutes nominal, jittered within its upper half.
        it.cyclesUntil(agents, "the first failure waits for its retry", () -> action(id, flaky).retrying(1));
        Action first = action(id, flaky);
        assertBackoff(first, Duration.ofMinutes(5), Duration.ofMinutes(10));
        it.cycles(agents, 2);
        assertEquals(1, attempt(flaky, path), "no second attempt before the backoff");
        assertEquals(1, failedDownloads(flaky), "the device does not loop on its own");
        assertEquals("RUNNING", string(it.rollout(id), "state"), "a retried failure is no failure\n" + it.log());

        // Past it, attempt 2, a new signed order, which fails too; the next backoff is twice as long.
        it.clock.advance(Duration.between(it.clock.clock().instant(), first.retryAt()).plusMinutes(1));
        it.cyclesUntil(agents, "the second failure waits for its retry", () -> action(id, flaky).retrying(2));
        Action second = action(id, flaky);
        assertBackoff(second, Duration.ofMinutes(10), Duration.ofMinutes(20));
        assertEquals(2, attempt(flaky, path));
        assertEquals(2, failedDownloads(flaky));
        assertTrue(flaky.journalReports().stream().anyMatch(r -> r.state() == Report.State.FAILED
                && r.detail().startsWith("download: ") && r.detail().contains("connection ended after 10 of the")),
                "a dropped connection is a download failure, not an attack\n" + it.log());
        it.cycles(agents, 2);
        assertEquals(2, attempt(flaky, path), "no third attempt before the backoff");
        it.clock.advance(Duration.between(it.clock.clock().instant(), second.retryAt()).plusMinutes(1));
        JsonObject done = it.cyclesUntil(agents, id, r -> !string(r, "state").equals("RUNNING"));

        assertEquals("COMPLETED", string(done, "state"), it.log());
        assertEquals(3, attempt(flaky, path));
        assertEquals(Optional.of(path), flaky.committed().map(r -> r.target()));
        assertEquals(3, downloads.get(), "three downloads, one per attempt");
        assertEquals(2, number(waves(done).get(0), "succeeded"));
        assertEquals(0, number(waves(done).get(0), "failed"), "the failed attempts were retried, not counted");
        // The server holds each attempt: its own action, its own reports, its own signed order.
        List<Report> reports = it.reports(flaky.id());
        List<String> actions = reports.stream().map(Report::actionId).distinct().toList();
        assertEquals(3, actions.size(), reports.toString());
        for (int i = 0; i < 2; i++) {
            String action = actions.get(i);
            assertTrue(reports.stream().anyMatch(r -> r.actionId().equals(action) && r.state() == Report.State.FAILED
                    && r.detail().startsWith("download: ")), action + ": " + reports);
        }
        assertTrue(reports.stream().anyMatch(r -> r.actionId().equals(actions.get(2))
                && r.state() == Report.State.SUCCEEDED), reports.toString());
        for (int attempt = 1; attempt <= 3; attempt++) {
            String signed = "attempt " + attempt + ",";
            assertTrue(ItAudit.has(it.http, "assignment.create", e -> e.subject().equals(flaky.id())
                    && e.actor().equals("rollout:" + id) && e.detail().contains(signed)), signed);
        }
        assertJournalsEqualTheServer(agents);
    }

    @Test
    void anAgentThatDiesRightAfterInstallingAndLosesTheReplyToItsReportsIsCountedExactlyOnce() throws Exception {
        String path = release("crash");
        ItAgent crashing = it.agent("crashing");
        ItAgent steady = it.agent("steady");
        List<ItAgent> agents = List.of(crashing, steady);
        AtomicInteger repliesToLose = new AtomicInteger();
        String checkins = "/devices/v1/" + crashing.id() + "/checkins";
        ItProxy wire = proxy();
        wire.hook = (request, forward) -> {
            Answer a = forward.apply(request);
            // The server got and stored the check-in; its reply never reaches the device.
            return request.path().equals(checkins) && repliesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                    ? new Answer(502, Map.of(), "connection reset".getBytes(StandardCharsets.UTF_8)) : a;
        };
        // The device reboots into the new slot to try it ("true": the test restarts the agent as the reboot).
        it.reconfigure(crashing, Map.of("server.url", wire.base(), "reboot.command", "true"));
        String id = it.started(path, STRICT);

        it.cyclesUntil(agents, "the device installed and went to reboot", () -> crashing.onTrial().isPresent());
        assertTrue(crashing.journalReports().stream().anyMatch(r -> r.state() == Report.State.TRIAL));
        assertFalse(it.states(crashing.id()).contains("INSTALLING"), "it died before it reported the install");

        // The agent dies; a new one over the same journal and slots powers on into the trial slot, commits it, and
        // sends every report it holds; that reply is lost, and the agent dies once more.
        it.restart(crashing);
        repliesToLose.set(1);
        it.cyclesWithoutServer(List.of(crashing));
        assertEquals(0, repliesToLose.get(), "the check-in reached the server");
        assertTrue(it.states(crashing.id()).contains("SUCCEEDED"), "stored, though the device was not told\n"
                + it.log());
        it.restart(crashing);
        JsonObject done = it.cyclesUntil(agents, id, r -> !string(r, "state").equals("RUNNING"));

        assertEquals("COMPLETED", string(done, "state"), it.log());
        assertEquals(Optional.of(path), crashing.committed().map(r -> r.target()));
        assertEquals(2, number(waves(done).get(0), "succeeded"), "the crashed device counted once");
        assertEquals(0, number(waves(done).get(0), "failed"));
        assertEquals(1, it.reports(crashing.id()).stream().filter(r -> r.state() == Report.State.SUCCEEDED).count());
        assertJournalsEqualTheServer(agents);
    }

    /**
     * Every report in each device's journal reached the server once, and the server holds none the device did not
     * make; the waves' success counts equal the SUCCEEDED reports of the journals.
     */
    private void assertJournalsEqualTheServer(List<ItAgent> agents) {
        for (ItAgent a : agents) {
            List<Report> journal = a.journalReports();
            List<Report> server = it.reports(a.id());
            assertEquals(ItRollouts.byActionAndSeq(journal), ItRollouts.byActionAndSeq(server), a.id());
            assertEquals(journal.size(), server.size(), a.id() + ": each report stored once");
        }
    }

    /** A healthy release of this product line, counter 42, named after the scenario. */
    private String release(String name) {
        String path = "lock-fw/" + name + "-" + it.run + "-42.bin";
        it.upload(path, 42, "firmware 42 HEALTHY " + it.run);
        return path;
    }

    private ItProxy proxy() throws IOException {
        synchronized (RolloutFaultsIT.class) {
            if (proxy == null) {
                proxy = new ItProxy(it.base);
            }
            return proxy;
        }
    }

    /** The server's row of the device's action in the rollout (no API shows its retry time). */
    private record Action(String state, int attempt, Instant retryAt, Instant updatedAt) {
        boolean retrying(int failedAttempt) {
            return state.equals("RETRY_WAIT") && attempt == failedAttempt;
        }
    }

    private static Action action(String rolloutId, ItAgent device) {
        try (Connection c = ItDatabase.server();
             PreparedStatement q = c.prepareStatement("SELECT state, attempt, retry_at, updated_at FROM rollout_action "
                     + "WHERE rollout_id = ? AND device_id = ?")) {
            q.setString(1, rolloutId);
            q.setString(2, device.id());
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), device.id() + " is no member of " + rolloutId);
                OffsetDateTime retryAt = rs.getObject(3, OffsetDateTime.class);
                return new Action(rs.getString(1), rs.getInt(2), retryAt == null ? null : retryAt.toInstant(),
                        rs.getObject(4, OffsetDateTime.class).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The retry waits from the failure at least {@code min} and at most {@code max} (fleet.md: backoff with jitter). */
    private static void assertBackoff(Action a, Duration min, Duration max) {
        Duration wait = Duration.between(a.updatedAt(), a.retryAt());
        assertTrue(wait.compareTo(min) >= 0 && wait.compareTo(max) <= 0, "waits " + wait + " after attempt "
                + a.attempt() + ", not within " + min + " to " + max);
    }

    /** The device's one refusal, as the server stored it (the detail). */
    private String refusal(ItAgent device) {
        List<Report> refused = it.reports(device.id()).stream().filter(r -> r.state() == Report.State.REFUSED).toList();
        assertEquals(1, refused.size(), device.id() + ": " + refused + "\n" + it.log());
        return refused.get(0).detail();
    }

    private static long failedDownloads(ItAgent device) {
        return device.journalReports().stream().filter(r -> r.state() == Report.State.FAILED
                && r.detail().startsWith("download: ")).count();
    }

    /** The attempt number of {@code path}'s order in the device's current director targets. */
    private long attempt(ItAgent device, String path) {
        JsonObject targets = it.invariants.directorHistory(device).lastEntry().getValue();
        JsonObject target = (JsonObject) ((JsonObject) targets.get("targets")).get(path);
        assertTrue(target != null, device.id() + " has no order of " + path);
        return number((JsonObject) target.get("custom"), "attempt");
    }

    private Checkin checkin(ItAgent device, long counter, Report report) {
        return new Checkin(device.id(), counter, now(), Checkin.DeviceState.IDLE, Optional.empty(),
                Map.of(device.id(), new Checkin.Ecu(it.hardware, Optional.empty(), "")), OptionalLong.empty(),
                List.of(report), Optional.empty());
    }

    private HttpResponse<byte[]> post(ItAgent device, byte[] body) {
        return it.http.sendBytes("POST", "/devices/v1/" + device.id() + "/checkins", "application/json", body,
                new String[0]);
    }

    private Instant now() {
        return it.clock.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static void assertRefused(int status, String code, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), Http.text(r));
        JsonObject error = json(r);
        assertEquals(code, string(error, "code"), Http.text(r));
        assertTrue(error.get("message") instanceof JsonValue.JsonString m && !m.value().isBlank(), Http.text(r));
    }

    /** Every file under {@code root} by relative path, as SHA-256. */
    private static Map<String, String> files(Path root) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
