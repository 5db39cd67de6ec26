package dev.ota.tuf.metadata;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The fields every role shares, parsed and written once for all four role types. */
record Common(String specVersion, long version, Instant expires) {
    private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);
    private static final Pattern EXPIRES_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    /** RFC 3339 with fractions or an offset: early Sigstore roots (written by go-tuf) use it, so reading accepts it. */
    private static final Pattern RFC3339_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern SPEC_SHAPE = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");

    Common {
        if (version < 1) throw new IllegalArgumentException("version must be at least 1, got " + version);
        if (expires.getNano() != 0) expires = expires.truncatedTo(ChronoUnit.SECONDS);
    }

    static Common read(JsonObject signed, String expectedType, String where) {
        String type = Fields.string(signed, "_type", where);
        if (!type.equals(expectedType)) {
            throw new MalformedMetadataException(where + "._type", "expected '" + expectedType + "' but found '" + type + "'");
        }
        String spec = Fields.string(signed, "spec_version", where);
        // TUF 5.x: a client must refuse metadata of a different major specification version.
        if (!SPEC_SHAPE.matcher(spec).matches() || !spec.startsWith("1.")) {
            throw new MalformedMetadataException(where + ".spec_version", "unsupported specification version '" + spec + "' (this client speaks 1.x)");
        }
        long version = Fields.version(signed, "version", where);
        return new Common(spec, version, parseExpires(Fields.string(signed, "expires", where), where + ".expires"));
    }

    static Instant parseExpires(String s, String where) {
        try {
            if (EXPIRES_SHAPE.matcher(s).matches()) return LocalDateTime.parse(s, EXPIRES).toInstant(ZoneOffset.UTC);
            if (RFC3339_SHAPE.matcher(s).matches()) return OffsetDateTime.parse(s).toInstant();
            throw new MalformedMetadataException(where, "'" + s + "' is not of the form YYYY-MM-DDTHH:MM:SSZ");
        } catch (DateTimeParseException e) {
            throw new MalformedMetadataException(where, "'" + s + "' is not a valid date and time");
        }
    }

    static String formatExpires(Instant i) {
        return EXPIRES.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
    }

    Map<String, JsonValue> write(String type) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("_type", new JsonString(type));
        m.put("spec_version", new JsonString(specVersion));
        m.put("version", JsonValue.of(version));
        m.put("expires", new JsonString(formatExpires(expires)));
        return m;
    }
}
