package dev.ota.fleet;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link DeviceFilter} as JPQL over {@link Device}: a fixed text with named parameters, so no value of
 * the filter is ever part of the query text. Pure, so the translation is tested without a database;
 * {@link Inventory} binds the parameters.
 *
 * <p>Tags and attributes are {@code EXISTS} over their own indexed tables; the device-id keyset
 * ({@code d.deviceId > :after ORDER BY d.deviceId}) pages over the primary key, so a page deep in 100,000
 * devices costs as much as the first (no OFFSET). The installed release is a match on the last check-in's
 * canonical {@code ecus} JSON, where a target path is written as {@code "filepath":"<path>"} with only
 * {@code \} and {@code "} escaped.
 *
 * @param where  the conditions after {@code WHERE}, over the alias {@code d}; {@code 1 = 1} for none
 * @param params parameter name to value
 */
public record DeviceFilterQuery(String where, Map<String, Object> params) {
    /** LIKE's escape character in these queries; chosen outside the device id alphabet. */
    static final char ESCAPE = '!';

    public DeviceFilterQuery {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static DeviceFilterQuery of(DeviceFilter f) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (f.hardwareId() != null) {
            conditions.add("d.hardwareId = :hardwareId");
            params.put("hardwareId", f.hardwareId());
        }
        if (f.status() != null) {
            conditions.add("d.status = :status");
            params.put("status", f.status());
        }
        int i = 0;
        for (String tag : f.tags()) {
            conditions.add("EXISTS (SELECT dt" + i + ".deviceId FROM Device dt" + i + " JOIN dt" + i + ".tags t" + i
                    + " WHERE dt" + i + " = d AND t" + i + " = :tag" + i + ")");
            params.put("tag" + i, tag);
            i++;
        }
        i = 0;
        for (Map.Entry<String, String> a : f.attributes().entrySet()) {
            conditions.add("EXISTS (SELECT da" + i + ".deviceId FROM Device da" + i + " JOIN da" + i
                    + ".attributes a" + i + " WHERE da" + i + " = d AND KEY(a" + i + ") = :attrName" + i
                    + " AND VALUE(a" + i + ") = :attrValue" + i + ")");
            params.put("attrName" + i, a.getKey());
            params.put("attrValue" + i, a.getValue());
            i++;
        }
        if (f.installedRelease() != null) {
            conditions.add("d.ecus LIKE :installed ESCAPE '" + ESCAPE + "'");
            String written = CanonicalJson.encodeToString(new JsonValue.JsonString(f.installedRelease()));
            params.put("installed", "%" + likeLiteral("\"filepath\":" + written) + "%");
        }
        if (f.state() != null) {
            conditions.add("d.state = :state");
            params.put("state", f.state());
        }
        if (f.lastCheckinBefore() != null) {
            conditions.add("d.lastCheckinAt < :checkinBefore");
            params.put("checkinBefore", f.lastCheckinBefore());
        }
        if (f.lastCheckinAfter() != null) {
            conditions.add("d.lastCheckinAt >= :checkinAfter");
            params.put("checkinAfter", f.lastCheckinAfter());
        }
        if (f.idPrefix() != null) {
            conditions.add("d.deviceId LIKE :idPrefix ESCAPE '" + ESCAPE + "'");
            params.put("idPrefix", likeLiteral(f.idPrefix()) + "%");
        }
        if (f.text() != null) {
            conditions.add("LOWER(d.deviceId) LIKE :text ESCAPE '" + ESCAPE + "'");
            params.put("text", "%" + likeLiteral(f.text().toLowerCase(Locale.ROOT)) + "%");
        }
        return new DeviceFilterQuery(conditions.isEmpty() ? "1 = 1" : String.join(" AND ", conditions), params);
    }

    /** Devices of one keyset page: ids above {@code after} (none: from the start), in id order. */
    public String pageJpql(boolean hasAfter) {
        return "SELECT d FROM Device d WHERE " + where + (hasAfter ? " AND d.deviceId > :after" : "")
                + " ORDER BY d.deviceId";
    }

    public String countJpql() {
        return "SELECT COUNT(d) FROM Device d WHERE " + where;
    }

    /** {@code text} matching itself literally in a LIKE pattern with {@link #ESCAPE}. */
    static String likeLiteral(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == ESCAPE || c == '%' || c == '_') {
                b.append(ESCAPE);
            }
            b.append(c);
        }
        return b.toString();
    }
}
