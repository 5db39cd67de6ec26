package dev.ota.audit;

import java.time.Instant;

/**
 * Which entries an auditor asks for: each field absent (null) or matched exactly ({@code from}
 * inclusive, {@code to} exclusive). Exact matches only, because each is answered from an index
 * ordered by sequence number (V10): a "contains" search would read every row of a log that may hold
 * millions.
 */
public record AuditFilter(String actor, String action, String subject, Instant from, Instant to) {
    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null);

    public AuditFilter {
        actor = blankToNull(actor);
        action = blankToNull(action);
        subject = blankToNull(subject);
    }

    /** The filter as an audit entry's detail states it, so the log says what was read or exported. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        append(b, "actor", actor);
        append(b, "action", action);
        append(b, "subject", subject);
        append(b, "from", from == null ? null : from.toString());
        append(b, "to", to == null ? null : to.toString());
        return b.isEmpty() ? "all entries" : b.toString();
    }

    private static void append(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(b.isEmpty() ? "" : ", ").append(name).append('=').append(value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
