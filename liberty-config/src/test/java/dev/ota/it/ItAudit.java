package dev.ota.it;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.util.List;
import java.util.function.Predicate;

/** The server's audit log as the ITs read it: the newest entries, through the management API. */
final class ItAudit {
    /** One entry; only the fields the tests look at. */
    record Entry(String actor, String action, String subject, String outcome, String detail) {
    }

    private ItAudit() {
    }

    static List<Entry> newest(Http http) {
        JsonValue parsed = Json.parse(http.get("/portal/api/v1/audit?limit=200", ItAccounts.admin(http)).body(), "audit");
        return ((JsonValue.JsonArray) parsed).elements().stream().map(v -> (JsonValue.JsonObject) v)
                .map(o -> new Entry(text(o, "actor"), text(o, "action"), text(o, "subject"), text(o, "outcome"),
                        text(o, "detail")))
                .toList();
    }

    static boolean has(Http http, Predicate<Entry> entry) {
        return newest(http).stream().anyMatch(entry);
    }

    private static String text(JsonValue.JsonObject o, String name) {
        return o.has(name) && o.get(name) instanceof JsonValue.JsonString s ? s.value() : "";
    }
}
