package dev.ota.portal.audit;

import dev.ota.audit.AuditFilter;
import dev.ota.audit.AuditRecord;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Writes every entry matching a filter, newest first, a page at a time as it reads them: memory holds
 * one page, never the log, and the first bytes leave before the last entries are read.
 */
public final class AuditExport {
    private static final int PAGE = 500;

    /** Reads one page: the entries matching the filter below a sequence number, newest first. */
    @FunctionalInterface
    public interface Pages {
        List<AuditRecord> below(AuditFilter filter, long olderThan, int limit);
    }

    public enum Format {
        CSV("text/csv;charset=UTF-8"),
        JSON("application/json");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }

        public String fileName() {
            return "audit-log." + name().toLowerCase(Locale.ROOT);
        }

        /** {@code csv} or {@code json}; anything else is a 400. */
        public static Format parse(String value) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                    return f;
                }
            }
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "query parameter 'format' must be csv or json");
        }
    }

    private AuditExport() {
    }

    /** The entries matching {@code filter} below {@code olderThan}, in {@code format}, onto {@code out}. */
    public static void write(Format format, AuditFilter filter, long olderThan, Pages pages, OutputStream out)
            throws IOException {
        if (format == Format.CSV) {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(AuditCsv.HEADER);
            forEach(filter, olderThan, pages, r -> w.write(AuditCsv.row(r)));
            w.flush();
        } else {
            JsonGenerator g = Json.createGenerator(out);
            g.writeStartArray();
            forEach(filter, olderThan, pages, r -> g.writeStartObject()
                    .write("seq", r.seq())
                    .write("recordedAt", r.recordedAt().toString())
                    .write("actor", r.actor())
                    .write("action", r.action())
                    .write("subject", r.subject())
                    .write("outcome", r.outcome().name())
                    .write("detail", r.detail())
                    .writeEnd());
            g.writeEnd();
            g.flush();
        }
    }

    private interface Sink {
        void accept(AuditRecord r) throws IOException;
    }

    private static void forEach(AuditFilter filter, long olderThan, Pages pages, Sink sink) throws IOException {
        long below = olderThan;
        while (true) {
            List<AuditRecord> page = pages.below(filter, below, PAGE);
            for (AuditRecord r : page) {
                sink.accept(r);
            }
            if (page.size() < PAGE) {
                return;
            }
            below = page.get(page.size() - 1).seq();
        }
    }
}
