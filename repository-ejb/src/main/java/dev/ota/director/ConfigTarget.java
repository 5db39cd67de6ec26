package dev.ota.director;

import dev.ota.error.ErrorKind;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A device's desired configuration as the director lists it (device-api.md: "a target {@code config/{deviceId}.json}
 * of this repository, director-signed, versioned by its hashes"): the canonical JSON of an object of string
 * properties, the exact bytes served and signed by length and sha256. What an operator may set is checked here,
 * as pure functions: the agent writes the properties into its properties file, so names and values must survive
 * that file (no control characters, which a properties file would keep raw and the agent reads as corruption).
 */
public record ConfigTarget(String deviceId, byte[] bytes) {
    /** Far below device-api.md's 64 KiB body limit: the device backs the same properties up in one signed PUT. */
    public static final int MAX_BYTES = 16 * 1024;
    public static final int MAX_PROPERTIES = 200;
    public static final int MAX_VALUE = 1024;
    /** The folder of config targets; the agent never takes a target under it for an image. */
    public static final String FOLDER = "config/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Written by the agent itself: the file's format line and the device's own identity. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("format", "device.id");

    public ConfigTarget {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@code config/{deviceId}.json}. */
    public static String pathOf(String deviceId) {
        return FOLDER + deviceId + ".json";
    }

    public String path() {
        return pathOf(deviceId);
    }

    public String sha256() {
        return Bytes.of(bytes).sha256Hex();
    }

    /** The target as the director's targets list it: length and sha256, no custom (the hashes are its version). */
    public TargetFile targetFile() {
        return TargetFile.describing(Bytes.of(bytes), Optional.empty());
    }

    /** The properties these bytes hold (they were checked when set). */
    public Map<String, String> properties() {
        Map<String, String> out = new TreeMap<>();
        ((JsonValue.JsonObject) Json.parse(bytes, "desired configuration")).members()
                .forEach((k, v) -> out.put(k, ((JsonValue.JsonString) v).value()));
        return out;
    }

    /**
     * The target for {@code properties} as an operator sent them; refused (400 {@code desired-config.invalid}, 413
     * {@code desired-config.too-large}) unless it is an object of at most {@value #MAX_PROPERTIES} properties,
     * each named by 1 to 128 of {@code [A-Za-z0-9._-]} starting with a letter or digit (not {@code format} or
     * {@code device.id}, which the agent writes itself), each a string of at most {@value #MAX_VALUE} characters
     * without control characters, and at most {@value #MAX_BYTES} bytes in all.
     */
    public static ConfigTarget of(String deviceId, JsonValue properties) {
        if (!(properties instanceof JsonValue.JsonObject object)) {
            throw invalid("'properties' must be a JSON object of string properties");
        }
        if (object.members().size() > MAX_PROPERTIES) {
            throw new DirectorFailure("desired-config.too-large", ErrorKind.TOO_LARGE, "a desired configuration holds at most "
                    + MAX_PROPERTIES + " properties, not " + object.members().size());
        }
        Map<String, JsonValue> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : object.members().entrySet()) {
            String name = e.getKey();
            if (!NAME.matcher(name).matches()) {
                throw invalid("property name '" + shown(name) + "' must be 1 to 128 of A-Z a-z 0-9 . _ -, starting with"
                        + " a letter or a digit");
            }
            if (RESERVED.contains(name)) {
                throw invalid("property '" + name + "' is written by the device's agent itself and cannot be set");
            }
            if (!(e.getValue() instanceof JsonValue.JsonString s)) {
                throw invalid("property '" + name + "' must be a string");
            }
            if (s.value().length() > MAX_VALUE) {
                throw invalid("property '" + name + "' is longer than " + MAX_VALUE + " characters");
            }
            if (s.value().chars().anyMatch(Character::isISOControl)) {
                throw invalid("property '" + name + "' holds a control character");
            }
            sorted.put(name, s);
        }
        byte[] bytes = CanonicalJson.encode(new JsonValue.JsonObject(sorted));
        if (bytes.length > MAX_BYTES) {
            throw new DirectorFailure("desired-config.too-large", ErrorKind.TOO_LARGE, "the desired configuration is "
                    + bytes.length + " bytes; at most " + MAX_BYTES);
        }
        return new ConfigTarget(deviceId, bytes);
    }

    /**
     * {@code name=value} lines, as the portal's form takes them, as the JSON object {@link #of} checks: a value may
     * hold '=' and ',' (only the first '=' splits), blank lines are skipped. A line without a name, or a name given
     * twice (which one would the operator mean?), is refused {@code desired-config.invalid}, naming the line.
     */
    public static JsonValue.JsonObject propertiesOfLines(String text) {
        Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
        String[] lines = text == null ? new String[0] : text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0 || line.substring(0, eq).isBlank()) {
                throw invalid("line " + (i + 1) + " is not name=value: write one property a line");
            }
            String name = line.substring(0, eq).strip();
            if (out.put(name, new JsonValue.JsonString(line.substring(eq + 1).strip())) != null) {
                throw invalid("line " + (i + 1) + " sets '" + shown(name) + "' again; give each property once");
            }
        }
        return new JsonValue.JsonObject(out);
    }

    /**
     * Whether {@code fileName}, under the device's {@code targets/config/}, names this target: {@code {deviceId}.json},
     * or {@code {sha256}.{deviceId}.json} as TUF clients ask for it with consistent snapshots.
     */
    public boolean servedAs(String fileName) {
        String plain = deviceId + ".json";
        return fileName.equals(plain) || fileName.equals(sha256() + "." + plain);
    }

    private static String shown(String name) {
        String s = name.length() > 60 ? name.substring(0, 60) + "..." : name;
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static DirectorFailure invalid(String message) {
        return new DirectorFailure("desired-config.invalid", ErrorKind.INVALID_INPUT, message);
    }
}
