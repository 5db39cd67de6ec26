package dev.ota.fleet;

import java.time.Instant;

/** One stored install journal entry of a device; {@code id} orders them as received and pages the history. */
public record ReportEntry(long id, String actionId, long seq, String state, Instant at, String detail,
                          Instant receivedAt, long checkinCounter) implements java.io.Serializable {
}
