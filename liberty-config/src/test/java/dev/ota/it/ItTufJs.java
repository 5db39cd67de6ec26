package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** tuf-js (interop/node/tufjs-client.js) against the IT server's image repository, in the server's virtual time. */
final class ItTufJs {
    private ItTufJs() {
    }

    /** Refreshes with the trust anchor already in {@code work/metadata/root.json}; the client's report. */
    static JsonObject refresh(Path work, List<String> targets, ServerClock clock) throws IOException, InterruptedException {
        return client(work, "/metadata/", null, targets, true, clock);
    }

    /**
     * One tuf-js run against the repository under {@code metadataPath} (the image repository's {@code /metadata/} or a
     * device's director repository, read with the device's bearer {@code token}, null for none), trusting
     * {@code work/metadata/root.json}; {@code download} false only looks the targets up. The client's report.
     */
    static JsonObject client(Path work, String metadataPath, String token, List<String> targets, boolean download,
                             ServerClock clock) throws IOException, InterruptedException {
        Path nodeDir = Path.of(System.getProperty("ota.interop.node.dir"));
        run(nodeDir, List.of("node", "ensure-installed.js"), null);
        String base = "http://127.0.0.1:" + System.getProperty("ota.it.http.port");
        String list = String.join(",", targets.stream().map(t -> "\"" + t + "\"").toList());
        String input = "{\"metadataBaseUrl\":\"" + base + metadataPath + "\",\"targetBaseUrl\":\"" + base + "/targets/\","
                + "\"metadataDir\":\"" + work.resolve("metadata") + "\",\"targetDir\":\"" + work.resolve("targets") + "\","
                + (token == null ? "" : "\"bearerToken\":\"" + token + "\",")
                + "\"clockShiftSeconds\":" + clock.shift().toSeconds() + (download ? "" : ",\"download\":false")
                + ",\"targets\":[" + list + "]}";
        String out = run(nodeDir, List.of("node", "tufjs-client.js"), input);
        return (JsonObject) Json.parse(out.getBytes(StandardCharsets.UTF_8), "tufjs-client output");
    }

    private static String run(Path dir, List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, p.exitValue(), command + " failed: " + out);
        return out;
    }
}
