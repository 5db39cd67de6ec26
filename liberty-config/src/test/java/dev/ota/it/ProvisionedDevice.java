package dev.ota.it;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a device folder holds before the agent first starts: a one-use enrollment token (auto-accept) for its
 * hardware, and the director and image-repository roots shipped with it ({@code director-root.json},
 * {@code image-root.json}), as the ITs that run the agent's {@code run} mode provision it.
 */
record ProvisionedDevice(Path dir, String enrollmentToken) {
    static ProvisionedDevice provision(Http http, String[] admin, String hardwareId, String folderPrefix) throws Exception {
        HttpResponse<byte[]> made = http.postJson("/portal/api/v1/enrollment-tokens", "{\"hardwareIds\":[\"" + hardwareId
                + "\"],\"maxUses\":1,\"validityHours\":1,\"autoAccept\":true}", admin);
        assertEquals(201, made.statusCode(), Http.text(made));
        String token = ((JsonValue.JsonString) ((JsonValue.JsonObject) Json.parse(made.body(), "response")).get("token")).value();
        Path dir = Files.createTempDirectory(folderPrefix);
        Files.write(dir.resolve("director-root.json"), http.get("/director/root/1.root.json").body());
        Files.write(dir.resolve("image-root.json"), http.get("/metadata/1.root.json").body());
        return new ProvisionedDevice(dir, token);
    }
}
