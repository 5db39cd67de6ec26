package dev.ota.fleet;

import java.util.List;

/** A page of a device's report history, newest first; {@code next} is the {@code before} of the following page. */
public record ReportPage(List<ReportEntry> reports, Long next) {
    public ReportPage {
        reports = List.copyOf(reports);
    }
}
