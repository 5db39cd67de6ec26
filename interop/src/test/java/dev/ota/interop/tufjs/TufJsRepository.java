package dev.ota.interop.tufjs;

import dev.ota.interop.NodeScript;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repository written by {@code interop/node/write-repository.js} with {@code @tufjs/models} (fresh keys each
 * time), and the manifest the script prints about it.
 *
 * @param dir             holds {@code metadata/} and {@code targets/}, as a mirror serves them
 * @param metadataFiles   file names under {@code metadata/}, e.g. {@code 1.root.json}
 * @param signedCanonical per file, the canonical bytes of its {@code signed} as tuf-js encodes them for signing
 * @param keyIds          key ids tuf-js computed, by purpose ({@code root-ed25519}, {@code firmware}, ...)
 * @param targets         per target path, its content
 */
record TufJsRepository(Path dir, List<String> metadataFiles, Map<String, byte[]> signedCanonical,
                       Map<String, String> keyIds, Map<String, byte[]> targets) {
    // RSA-3072 key generation in Node takes a moment on a busy machine.
    private static final NodeScript WRITE_REPOSITORY = new NodeScript("write-repository.js", Duration.ofSeconds(120));

    static TufJsRepository write(Path dir) {
        byte[] input = CanonicalJson.encode(JsonValue.obj("dir", JsonValue.of(dir.toAbsolutePath().toString())));
        JsonObject manifest = (JsonObject) Json.parse(WRITE_REPOSITORY.run(input), "write-repository.js output");
        List<String> files = ((JsonArray) manifest.get("metadataFiles")).elements().stream()
                .map(v -> ((JsonString) v).value()).toList();
        Map<String, byte[]> canonical = new LinkedHashMap<>();
        ((JsonObject) manifest.get("signedCanonicalBase64")).members()
                .forEach((name, v) -> canonical.put(name, Base64.getDecoder().decode(((JsonString) v).value())));
        Map<String, String> keyIds = new LinkedHashMap<>();
        ((JsonObject) manifest.get("keyIds")).members().forEach((name, v) -> keyIds.put(name, ((JsonString) v).value()));
        Map<String, byte[]> targets = new LinkedHashMap<>();
        ((JsonObject) manifest.get("targets")).members().forEach((path, v) -> targets.put(path,
                Base64.getDecoder().decode(((JsonString) ((JsonObject) v).get("base64")).value())));
        return new TufJsRepository(dir, files, canonical, keyIds, targets);
    }

    Path metadataDir() {
        return dir.resolve("metadata");
    }
}
