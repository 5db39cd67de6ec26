package dev.ota.agent.fleet;

import dev.ota.agent.testing.DevicePeer;
import dev.ota.protocol.Checkin;
import dev.ota.protocol.Checkin.DeviceState;
import dev.ota.protocol.Envelope;
import dev.ota.protocol.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceJournalTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    private static Report report(String action, long seq, Report.State state) {
        return new Report(action, seq, state, Instant.parse("2026-11-25T09:58:10Z"), state == Report.State.FAILED ? "download: 503" : "");
    }

    private DeviceSession session(DeviceTransport transport) {
        DeviceIdentity id = DeviceIdentity.loadOrCreate(data, "lock-0042", "lock-v2");
        return new DeviceSession(id, DeviceJournal.open(data), transport, CLOCK, "test");
    }

    @Test
    void neverReusesACounterWhenPowerIsLostAroundACheckin() {
        // Each "boot" sends one check-in that reaches the server, then the device loses power before the reply.
        List<Long> sent = new ArrayList<>();
        DeviceTransport reachesServerThenPowerLoss = request -> {
            sent.add(Checkin.fromJson(Envelope.parse(request.body().orElseThrow().toArray()).signed()).counter());
            return CompletableFuture.failedFuture(new java.io.IOException("power lost"));
        };
        for (int boot = 0; boot < 5; boot++) {
            session(reachesServerThenPowerLoss).checkin(DeviceState.IDLE, Optional.empty(), Map.of(), OptionalLong.empty(), Optional.empty()).join();
            // And once per boot the power goes between reserving a counter and sending it.
            DeviceJournal.open(data).nextCounter();
        }

        for (int i = 1; i < sent.size(); i++) assertTrue(sent.get(i) > sent.get(i - 1), "counters sent: " + sent);
        assertEquals(5, sent.size());
        assertTrue(DeviceJournal.open(data).nextCounter() > 10, "a reserved counter is never handed out again");
    }

    @Test
    void cutsALineTornByPowerLossSoTheNextLineStaysReadable() throws Exception {
        DeviceJournal journal = DeviceJournal.open(data);
        journal.nextCounter();
        journal.nextCounter();
        Files.writeString(data.resolve(DeviceJournal.FILE), "COUNTER 9", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        DeviceJournal reopened = DeviceJournal.open(data);
        long next = reopened.nextCounter();

        assertEquals(3, next, "the torn line's check-in never left, so its counter was never used");
        assertEquals(3, DeviceJournal.open(data).lastCounter());
        assertFalse(Files.readString(data.resolve(DeviceJournal.FILE)).contains("COUNTER 9"));
    }

    @Test
    void resendsUnackedReportsUntilTheServerAcknowledgesThem() throws Exception {
        try (DevicePeer peer = new DevicePeer()) {
            HttpClientTransport http = HttpClientTransport.create(peer.base(), Duration.ofSeconds(5));
            DeviceSession s = session(http);
            assertInstanceOf(Answer.Ok.class, s.enroll("token").join());
            s.journal().addReport(report("a-9", 3, Report.State.DOWNLOADING));
            s.journal().addReport(report("a-9", 4, Report.State.DOWNLOADED));
            peer.acknowledge = false;

            checkin(s);
            checkin(session(http));
            peer.acknowledge = true;
            checkin(session(http));
            DeviceSession afterAck = session(http);
            checkin(afterAck);

            List<Checkin> seen = peer.device("lock-0042").checkins;
            assertEquals(List.of(2, 2, 2, 0), seen.stream().map(c -> c.reports().size()).toList(),
                    "sent until acknowledged, across restarts, then never again");
            assertEquals(List.of(), DeviceJournal.open(data).unacked());
            // A report the server already acknowledged is not queued again.
            afterAck.journal().addReport(report("a-9", 4, Report.State.DOWNLOADED));
            assertEquals(List.of(), afterAck.journal().unacked());
        }
    }

    @Test
    void aCheckinCarriesTheOldestUnackedReportsThatFitUnderTheServersBodyLimit() {
        List<byte[]> sent = new ArrayList<>();
        DeviceTransport capture = request -> {
            sent.add(request.body().orElseThrow().toArray());
            return CompletableFuture.failedFuture(new java.io.IOException("offline"));
        };
        DeviceSession s = session(capture);
        String detail = "download: " + "x".repeat(1990);
        for (int i = 0; i < 60; i++) {
            s.journal().addReport(new Report("a-" + i, 1, Report.State.FAILED, Instant.parse("2026-11-25T09:58:10Z"), detail));
        }

        s.checkin(DeviceState.IDLE, Optional.empty(), Map.of(), OptionalLong.empty(), Optional.empty()).join();

        assertTrue(sent.get(0).length <= 64 * 1024, "body of " + sent.get(0).length + " bytes");
        List<Report> carried = Checkin.fromJson(Envelope.parse(sent.get(0)).signed()).reports();
        assertFalse(carried.isEmpty());
        assertEquals(s.journal().unacked().subList(0, carried.size()), carried, "the oldest first");
        assertEquals(60, s.journal().unacked().size(), "the rest stay queued");
    }

    @Test
    void keepsItsStateWhenItCompactsItself() {
        DeviceJournal journal = DeviceJournal.open(data);
        journal.addReport(report("a-1", 1, Report.State.FAILED));
        journal.acknowledge(Map.of("a-0", 7L));
        journal.configSynced(new DeviceJournal.ConfigState(4, "ab"));
        for (int i = 0; i < DeviceJournal.COMPACT_AFTER_LINES + 10; i++) journal.nextCounter();

        DeviceJournal reopened = DeviceJournal.open(data);

        assertEquals(DeviceJournal.COMPACT_AFTER_LINES + 10, reopened.lastCounter());
        assertEquals(List.of(report("a-1", 1, Report.State.FAILED)), reopened.unacked());
        assertEquals(Optional.of(new DeviceJournal.ConfigState(4, "ab")), reopened.config());
        assertTrue(reopened.unacked().size() == 1 && countLines() < 50, "compacted");
    }

    @Test
    void keepsTheProcessedDirectorVersionTheOrderAndEachActionsLastSeqAcrossRestartsAndCompaction() {
        DeviceJournal journal = DeviceJournal.open(data);
        Action order = new Action("a-9", 2, "lock-fw/2.0.bin", 1024, Map.of("sha256", "ab12"),
                dev.ota.tuf.json.JsonValue.obj("actionId", dev.ota.tuf.json.JsonValue.of("a-9")), Report.State.WAITING_WINDOW, false);
        journal.directorProcessed(34);
        journal.directorProcessed(33);
        journal.action(order);
        journal.addReport(report("a-9", 4, Report.State.WAITING_WINDOW));
        journal.acknowledge(Map.of("a-9", 4L));

        DeviceJournal restarted = DeviceJournal.open(data);
        assertEquals(34, restarted.directorVersion(), "a version is never processed twice, nor an older one again");
        assertEquals(Optional.of(order), restarted.action());
        assertEquals(4, restarted.lastSeq("a-9"), "the next report of the action goes above every one sent");

        for (int i = 0; i < DeviceJournal.COMPACT_AFTER_LINES + 10; i++) restarted.nextCounter();
        DeviceJournal compacted = DeviceJournal.open(data);
        assertEquals(34, compacted.directorVersion());
        assertEquals(Optional.of(order), compacted.action());
        assertEquals(4, compacted.lastSeq("a-9"));
        assertTrue(countLines() < 50, "compacted");
    }

    private long countLines() {
        try {
            return Files.readAllLines(data.resolve(DeviceJournal.FILE)).size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void checkin(DeviceSession s) {
        assertInstanceOf(Answer.Ok.class, s.checkin(DeviceState.IDLE, Optional.empty(), Map.of(), OptionalLong.empty(), Optional.empty()).join());
    }
}
