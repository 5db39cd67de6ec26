package dev.ota.rollouts;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.DeviceFilter;
import dev.ota.rollout.InvalidRollout;
import dev.ota.rollout.RolloutDefinition;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading a create request and writing a definition back: pure, so every refusal is tested without a server. */
final class RolloutRequests {
    static final String INVALID = "rollout.invalid";

    private RolloutRequests() {
    }

    /**
     * The definition a create request's body describes, its filter in the fleet's canonical form: two spellings of
     * one filter hash alike, and a filter the fleet would refuse is refused here. Anything wrong is a 400
     * {@code rollout.invalid} whose message names the field.
     */
    static RolloutDefinition definition(byte[] body) {
        try {
            if (body == null || body.length == 0) {
                throw new InvalidRollout("rollout", "a JSON object with name, targetPath and filter");
            }
            RolloutDefinition d = RolloutDefinition.fromJson(Json.parse(body, "rollout"));
            JsonObject filter;
            try {
                filter = DeviceFilter.fromJson(d.filter()).toJson();
            } catch (OtaException e) {
                throw new InvalidRollout("filter", "a device filter (" + e.getMessage() + ")");
            }
            return new RolloutDefinition(d.name(), d.targetPath(), filter, d.canary(), d.waves(), d.successPct(),
                    d.soak(), d.errorBudget(), d.onTrip(), d.retry(), d.weight(), d.windows(), d.installRule(),
                    d.rollbackOf());
        } catch (InvalidRollout e) {
            throw new RolloutFailure(INVALID, ErrorKind.INVALID_INPUT, e.getMessage());
        } catch (MalformedMetadataException e) {
            throw new RolloutFailure(INVALID, ErrorKind.INVALID_INPUT, "the body is not one JSON object: "
                    + e.getMessage());
        }
    }

    /** A JSON value as the plain Java values (maps, lists, strings, numbers) JSON-B writes back as the same JSON. */
    static Object plain(JsonValue v) {
        if (v instanceof JsonObject o) {
            Map<String, Object> m = new LinkedHashMap<>();
            o.members().forEach((k, x) -> m.put(k, plain(x)));
            return m;
        }
        if (v instanceof JsonValue.JsonArray a) {
            return a.elements().stream().map(RolloutRequests::plain).toList();
        }
        if (v instanceof JsonValue.JsonString s) {
            return s.value();
        }
        if (v instanceof JsonValue.JsonNumber n) {
            return n.value();
        }
        if (v instanceof JsonValue.JsonBoolean b) {
            return b.value();
        }
        return null;
    }
}
