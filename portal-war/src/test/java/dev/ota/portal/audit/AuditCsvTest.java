package dev.ota.portal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ota.audit.AuditFilter;
import dev.ota.audit.AuditRecord;
import dev.ota.error.OtaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditCsvTest {
    private static AuditRecord entry(long seq, String actor, String subject, String detail) {
        return new AuditRecord(seq, Instant.parse("2026-12-06T04:00:00Z").plusSeconds(seq), actor, "auth.forbidden",
                subject, AuditRecord.Outcome.DENIED, detail);
    }

    @Test
    void quotesEveryTextCellAndDoublesQuotesInside() {
        assertEquals("\"plain\"", AuditCsv.cell("plain"));
        assertEquals("\"a \"\"quoted\"\" word\"", AuditCsv.cell("a \"quoted\" word"));
        assertEquals("\"one, two\"", AuditCsv.cell("one, two"));
        assertEquals("\"line\r\nbreak\"", AuditCsv.cell("line\r\nbreak"));
        assertEquals("\"\"", AuditCsv.cell(null));
    }

    @Test
    void prefixesCellsASpreadsheetWouldRunAsAFormula() {
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"", AuditCsv.cell("=HYPERLINK(\"http://x\")"));
        assertEquals("\"'+1\"", AuditCsv.cell("+1"));
        assertEquals("\"'-2+3\"", AuditCsv.cell("-2+3"));
        assertEquals("\"'@SUM(A1)\"", AuditCsv.cell("@SUM(A1)"));
        assertEquals("\"'\tx\"", AuditCsv.cell("\tx"));
        assertEquals("\"a=b\"", AuditCsv.cell("a=b"), "only a leading sign makes a formula");
    }

    @Test
    void writesOneRowPerEntryWithTheNumberBareAndCrlfLineEnds() {
        String row = AuditCsv.row(entry(7, "=cmd|' /C calc'!A0", "GET /portal/app/audit.xhtml", "via token 3"));

        assertEquals("7,\"2026-12-06T04:00:07Z\",\"'=cmd|' /C calc'!A0\",\"auth.forbidden\","
                + "\"GET /portal/app/audit.xhtml\",\"DENIED\",\"via token 3\"\r\n", row);
    }

    @Test
    void exportsEveryMatchingEntryNewestFirstAcrossPagesWithoutRepeatingOne() throws IOException {
        List<AuditRecord> log = new ArrayList<>();
        for (int i = 1; i <= 1203; i++) {
            log.add(entry(i, i % 2 == 0 ? "auditor" : "admin", "s", ""));
        }
        List<Integer> pageSizes = new ArrayList<>();
        AuditExport.Pages pages = (filter, olderThan, limit) -> {
            List<AuditRecord> page = log.stream().filter(r -> r.seq() < olderThan)
                    .filter(r -> filter.actor() == null || filter.actor().equals(r.actor()))
                    .sorted(Comparator.comparingLong(AuditRecord::seq).reversed()).limit(limit).toList();
            pageSizes.add(page.size());
            return page;
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        AuditExport.write(AuditExport.Format.CSV, new AuditFilter("admin", null, null, null, null), 1200, pages, out);

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\r\n");
        assertEquals(AuditCsv.HEADER.strip(), lines[0]);
        assertEquals(1 + 600, lines.length, "the 600 entries of admin below 1200, once each");
        assertEquals("1199", lines[1].substring(0, lines[1].indexOf(',')));
        assertEquals("1", lines[600].substring(0, lines[600].indexOf(',')));
        assertEquals(List.of(500, 100), pageSizes, "read a page at a time");
    }

    @Test
    void refusesAnUnknownFormatAnUnreadableTimeAndAnEmptyRange() {
        assertThrows(OtaException.class, () -> AuditExport.Format.parse("xml"));
        assertEquals(AuditExport.Format.JSON, AuditExport.Format.parse("json"));
        assertThrows(OtaException.class, () -> AuditQuery.filter(null, null, null, "yesterday", null));
        assertThrows(OtaException.class, () -> AuditQuery.filter(null, null, null, "2026-12-06T05:00:00Z",
                "2026-12-06T04:00:00Z"));
        AuditFilter f = AuditQuery.filter(" admin ", "", null, "2026-12-06T04:00:00Z", null);
        assertEquals("actor=admin, from=2026-12-06T04:00:00Z", f.describe());
    }
}
