package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The server's 200 answer to a check-in. Nothing in it is an order (orders are only ever signed director
 * metadata): when to come back, whether the director metadata changed, which reports are acknowledged, whether
 * to upload the configuration, and a bearer token for the device's GETs.
 */
public record CheckinResponse(long pollAfterSeconds, OptionalLong directorTimestampVersion, Map<String, Long> ackedReports,
                              Optional<ConfigRequest> config, Optional<String> token, Optional<Instant> tokenExpires) {
    public CheckinResponse {
        if (pollAfterSeconds < 0) throw new IllegalArgumentException("pollAfterSeconds must not be negative");
        ackedReports = Map.copyOf(ackedReports);
        tokenExpires.ifPresent(t -> Write.checkTime(t, "tokenExpires"));
    }

    /** The configuration version the server holds, and whether it asks the device to upload its own. */
    public record ConfigRequest(long version, boolean upload) {
    }

    public static CheckinResponse fromJson(JsonValue json) {
        Read r = Read.object(json, "checkinResponse");
        Map<String, Long> acked = new LinkedHashMap<>();
        if (r.has("ackedReports")) {
            Read a = r.child("ackedReports");
            a.json().members().forEach((id, seq) -> acked.put(id, Read.nonNegative(seq, a.at(id))));
        }
        return new CheckinResponse(r.nonNegative("pollAfterSeconds"),
                r.optionalChild("director").map(d -> OptionalLong.of(d.nonNegative("timestampVersion"))).orElse(OptionalLong.empty()),
                acked,
                r.optionalChild("config").map(c -> new ConfigRequest(c.nonNegative("version"), c.bool("upload"))),
                r.optionalString("token"),
                r.has("tokenExpires") ? Optional.of(r.time("tokenExpires")) : Optional.empty());
    }

    public JsonObject toJson() {
        Write w = Write.object().put("pollAfterSeconds", pollAfterSeconds);
        directorTimestampVersion.ifPresent(v -> w.put("director", Write.object().put("timestampVersion", v).json()));
        Map<String, JsonValue> acked = new LinkedHashMap<>();
        ackedReports.forEach((id, seq) -> acked.put(id, JsonValue.of(seq)));
        w.put("ackedReports", new JsonObject(acked));
        config.ifPresent(c -> w.put("config", Write.object().put("version", c.version()).put("upload", c.upload()).json()));
        w.put("token", token);
        tokenExpires.ifPresent(t -> w.put("tokenExpires", t));
        return w.json();
    }
}
