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
        return page(http, "/portal/api/v1/audit?limit=200&action=" + java.net.URLEncoder.encode(action,
                java.nio.charset.StandardCharsets.UTF_8) + "&subject=" + java.net.URLEncoder.encode(subject,
                java.nio.charset.StandardCharsets.UTF_8));
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
        return page(http, "/portal/api/v1/audit?limit=200&actor=" + java.net.URLEncoder.encode(actor,
                java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Whether one of the newest entries of {@code action} matches. */
    static boolean has(Http http, String action, Predicate<Entry> entry) {
        return page(http, "/portal/api/v1/audit?limit=200&action=" + java.net.URLEncoder.encode(action,
                java.nio.charset.StandardCharsets.UTF_8)).stream().anyMatch(entry);
    }

    private static String text(JsonValue.JsonObject o, String name) {
        return o.has(name) && o.get(name) instanceof JsonValue.JsonString s ? s.value() : "";
    }
}
