package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.protocol.Report;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportRulesTest {
    private static final Instant AT = Instant.parse("2026-11-25T09:58:10Z");

    private static Report r(String action, long seq) {
        return new Report(action, seq, Report.State.DOWNLOADING, AT, "");
    }

    @Test
    void storesOnlyReportsNotStoredBeforeAndEachOnceWithinACheckin() {
        List<Report> sent = List.of(r("a-9", 3), r("a-9", 4), r("a-9", 4), r("b-1", 1));
        Set<ReportRules.ReportKey> stored = Set.of(new ReportRules.ReportKey("a-9", 3));
        assertEquals(List.of(r("a-9", 4), r("b-1", 1)), ReportRules.toStore(sent, stored));
    }

    @Test
    void acknowledgesTheHighestSeqPerAction() {
        assertEquals(Map.of("a-9", 4L, "b-1", 1L), ReportRules.acks(List.of(r("a-9", 4), r("b-1", 1), r("a-9", 2))));
        assertEquals(Map.of(), ReportRules.acks(List.of()));
    }
}
