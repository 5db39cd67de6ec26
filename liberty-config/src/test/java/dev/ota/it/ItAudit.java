package dev.ota.it;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.util.List;
import java.util.function.Predicate;

/**
 * The server's audit log as the ITs read it: the newest entries of an action, subject or actor, filtered by the
 * server through the management API. Never the newest of all entries: other work (the scheduler's on earlier tests'
 * rollouts, each audited read) can push a test's own entries out of any fixed number of them.
 */
final class ItAudit {
    /** One entry; only the fields the tests look at. */
    record Entry(String actor, String action, String subject, String outcome, String detail, long seq) {
    }

    private ItAudit() {
    }

    /** The newest entries of {@code action} about {@code subject}, filtered by the server (other tests' entries can be many). */
    static List<Entry> of(Http http, String action, String subject) {
        return newest(http, "action", action, "subject", subject);
    }

    /** The newest 200 entries the server's filter {@code name=value, ...} matches. */
    private static List<Entry> newest(Http http, String... namesAndValues) {
        StringBuilder query = new StringBuilder("/portal/api/v1/audit?limit=200");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.append('&').append(namesAndValues[i]).append('=')
                    .append(java.net.URLEncoder.encode(namesAndValues[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return page(http, query.toString());
    }

    private static List<Entry> page(Http http, String query) {
        JsonValue parsed = Json.parse(http.get(query, ItAccounts.admin(http)).body(), "audit");
        return ((JsonValue.JsonArray) parsed).elements().stream().map(v -> (JsonValue.JsonObject) v)
                .map(o -> new Entry(text(o, "actor"), text(o, "action"), text(o, "subject"), text(o, "outcome"),
                        text(o, "detail"), o.get("seq") instanceof JsonValue.JsonNumber n ? n.value().longValueExact() : -1))
                .toList();
    }

    /** The newest entries recorded under {@code actor}. */
    static List<Entry> byActor(Http http, String actor) {
        return newest(http, "actor", actor);
    }

    /** Whether one of the newest entries of {@code action} matches. */
    static boolean has(Http http, String action, Predicate<Entry> entry) {
        return newest(http, "action", action).stream().anyMatch(entry);
    }

    private static String text(JsonValue.JsonObject o, String name) {
        return o.has(name) && o.get(name) instanceof JsonValue.JsonString s ? s.value() : "";
    }
}
