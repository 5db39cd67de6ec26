package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Fleet fixtures through the management and device APIs, as an operator and a device would make them. */
final class ItFleet {
    private ItFleet() {
    }

    /** Uploads {@code body} as release {@code path} (version 1.5.0) for {@code hardwareId} with a release counter. */
    static HttpResponse<byte[]> upload(Http http, String[] admin, String path, String hardwareId, long releaseCounter,
                                       byte[] body) {
        String custom = URLEncoder.encode("{\"releaseCounter\":" + releaseCounter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=1.5.0"
                + "&hardwareId=" + hardwareId + "&custom=" + custom, body, admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        return r;
    }

    /** A device enrolled with a fresh single-use, auto-accepting token: accepted, not yet checked in. */
    static TestDevice enrolled(Http http, String[] admin, String id, String hardwareId) {
        HttpResponse<byte[]> t = http.postJson("/portal/api/v1/enrollment-tokens", "{\"hardwareIds\":[\"" + hardwareId
                + "\"],\"maxUses\":1,\"validityHours\":24,\"autoAccept\":true}", admin);
        assertEquals(201, t.statusCode(), Http.text(t));
        TestDevice device = new TestDevice(id, hardwareId);
        HttpResponse<byte[]> enrolled = device.enroll(http, string(t, "token"));
        assertEquals(201, enrolled.statusCode(), Http.text(enrolled));
        return device;
    }

    static String string(HttpResponse<byte[]> r, String field) {
        JsonValue.JsonObject o = (JsonValue.JsonObject) Json.parse(r.body(), "answer");
        return ((JsonValue.JsonString) o.get(field)).value();
    }
}
