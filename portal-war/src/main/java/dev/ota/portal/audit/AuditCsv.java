package dev.ota.portal.audit;

import dev.ota.audit.AuditRecord;

/**
 * Audit entries as CSV (RFC 4180: comma-separated, CRLF line ends, every text cell in double quotes
 * with quotes doubled). A cell that starts with {@code = + - @}, a tab or a carriage return gets a
 * leading apostrophe: spreadsheets run such cells as formulas, and the log holds text anyone can
 * choose (a user name tried at sign-in, an uploaded path), so an export opened by an auditor must not
 * run it.
 */
public final class AuditCsv {
    public static final String HEADER = "seq,recorded_at,actor,action,subject,outcome,detail\r\n";

    private AuditCsv() {
    }

    public static String row(AuditRecord r) {
        return r.seq() + "," + cell(r.recordedAt().toString()) + "," + cell(r.actor()) + "," + cell(r.action()) + ","
                + cell(r.subject()) + "," + cell(r.outcome().name()) + "," + cell(r.detail()) + "\r\n";
    }

    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
