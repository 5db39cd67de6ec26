package dev.ota.agent.fleet;

import dev.ota.protocol.Report;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A director order the device works on, as its journal keeps it: the target exactly as the verified director
 * metadata listed it (path, length, hashes and {@code custom}, which both repositories agreed on before the order
 * was taken), and the last state the device reached. The device's own record: written and read only here.
 *
 * @param custom    the director target's {@code custom} (windows, policy, action id, attempt)
 * @param cancelled the director withdrew the order (an empty targets list) before it was installed
 */
public record Action(String actionId, long attempt, String path, long length, Map<String, String> hashes, JsonValue custom,
                     Report.State state, boolean cancelled) {
    public Action {
        hashes = Map.copyOf(hashes);
    }

    /** Still to be worked on: neither finished, refused nor withdrawn. */
    public boolean isOpen() {
        return !cancelled && switch (state) {
            case SUCCEEDED, FAILED, ROLLED_BACK, REFUSED -> false;
            default -> true;
        };
    }

    public boolean sameOrder(String otherActionId, long otherAttempt) {
        return actionId.equals(otherActionId) && attempt == otherAttempt;
    }

    public Action in(Report.State next) {
        return new Action(actionId, attempt, path, length, hashes, custom, next, cancelled);
    }

    public Action withdrawn() {
        return new Action(actionId, attempt, path, length, hashes, custom, state, true);
    }

    String toLine() {
        Map<String, JsonValue> h = new LinkedHashMap<>();
        hashes.forEach((k, v) -> h.put(k, JsonValue.of(v)));
        return CanonicalJson.encodeToString(JsonValue.obj("actionId", JsonValue.of(actionId), "attempt", JsonValue.of(attempt),
                "path", JsonValue.of(path), "length", JsonValue.of(length), "hashes", new JsonObject(h), "custom", custom,
                "state", JsonValue.of(state.name()), "cancelled", JsonValue.of(cancelled)));
    }

    static Action fromLine(String line) {
        JsonObject o = (JsonObject) Json.parse(line.getBytes(StandardCharsets.UTF_8), "journal action");
        Map<String, String> h = new LinkedHashMap<>();
        ((JsonObject) o.get("hashes")).members().forEach((k, v) -> h.put(k, ((JsonValue.JsonString) v).value()));
        return new Action(text(o, "actionId"), number(o, "attempt"), text(o, "path"), number(o, "length"), h, o.get("custom"),
                Report.State.valueOf(text(o, "state")), ((JsonValue.JsonBoolean) o.get("cancelled")).value());
    }

    private static String text(JsonObject o, String name) {
        return ((JsonValue.JsonString) o.get(name)).value();
    }

    private static long number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().longValueExact();
    }
}
