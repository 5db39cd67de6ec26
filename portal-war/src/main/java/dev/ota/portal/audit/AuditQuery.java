package dev.ota.portal.audit;

import dev.ota.audit.AuditFilter;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The filter as the page's fields and the API's query parameters give it: text, checked here. */
public final class AuditQuery {
    private static final int MAX_TEXT = 1024;

    private AuditQuery() {
    }

    /** A 400 naming the field for an unreadable time, an overlong value or an empty range. */
    public static AuditFilter filter(String actor, String action, String subject, String from, String to) {
        AuditFilter f = new AuditFilter(text("actor", actor), text("action", action), text("subject", subject),
                instant("from", from), instant("to", to));
        if (f.from() != null && f.to() != null && !f.from().isBefore(f.to())) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "'from' must be before 'to' (from is inclusive, to exclusive)");
        }
        return f;
    }

    private static String text(String name, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "'" + name + "' is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "'" + name + "' must be a UTC time such as 2026-12-06T04:00:00Z");
        }
    }
}
