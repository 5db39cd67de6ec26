package dev.ota.agent.device;

import dev.ota.tuf.client.MetadataStore;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The device's basic properties (identity, network and feature configuration) in one versioned file outside
 * both slots, so every agent version reads it and no update can lose it. Format 1 is a properties file with
 * {@code format=1}; a later format must keep reading this one.
 */
public final class DeviceProperties {
    public static final int FORMAT = 1;
    private final Path file;

    public DeviceProperties(Path stateDir) {
        this(stateDir.resolve("device.properties"), true);
    }

    private DeviceProperties(Path file, boolean named) {
        this.file = file;
    }

    /** The properties file at {@code file} (the run mode's configured path). */
    public static DeviceProperties at(Path file) {
        return new DeviceProperties(file, true);
    }

    public Path file() {
        return file;
    }

    /** What is on disk: the properties, or why there are none to use. */
    public sealed interface Local {
    }

    /** A readable file; {@code values} without the {@code format} line. */
    public record Present(Map<String, String> values) implements Local {
        public Present {
            values = Map.copyOf(values);
        }
    }

    /** No file, or an empty one (what an interrupted first write leaves). */
    public record Lost(String why) implements Local {
    }

    /** A file that is not a properties file of a format this agent reads. */
    public record Corrupt(String why) implements Local {
    }

    /**
     * Reads the file strictly, telling a lost or corrupt file from a good one: corrupt is not UTF-8, holds control
     * characters other than tab and line ends (a torn write on many file systems leaves zero bytes), has a broken
     * escape, or a {@code format} that is not a number this agent reads.
     */
    public Local inspect() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Lost("no file " + file);
        } catch (IOException e) {
            return new Corrupt("cannot read " + file + ": " + e.getMessage());
        }
        if (bytes.length == 0) return new Lost(file + " is empty");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new Corrupt(file + " is not UTF-8 text");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return new Corrupt(file + " holds a control character at offset " + i);
            }
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            return new Corrupt(file + " is not a properties file: " + e.getMessage());
        }
        String format = p.getProperty("format", Integer.toString(FORMAT)).trim();
        if (!format.matches("\\d{1,9}") || Integer.parseInt(format) > FORMAT || Integer.parseInt(format) < 1) {
            return new Corrupt(file + " has format '" + format + "', not one this agent reads (1 to " + FORMAT + ")");
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        out.remove("format");
        return new Present(out);
    }

    /** The properties as the configuration document carries them: an object of strings. */
    public static JsonValue.JsonObject toJson(Map<String, String> values) {
        Map<String, JsonValue> m = new TreeMap<>();
        values.forEach((k, v) -> m.put(k, JsonValue.of(v)));
        return new JsonValue.JsonObject(m);
    }

    /** @throws IllegalArgumentException if a member is not a string (this agent writes only strings) */
    public static Map<String, String> fromJson(JsonValue.JsonObject json) {
        Map<String, String> out = new TreeMap<>();
        json.members().forEach((k, v) -> {
            if (!(v instanceof JsonValue.JsonString s)) throw new IllegalArgumentException("property " + k + " is not a string");
            if (k.equals("format")) return;
            out.put(k, s.value());
        });
        return out;
    }

    /** The sha256 of the properties' canonical JSON: what a check-in reports and what tells a change. */
    public static String sha256(Map<String, String> values) {
        return Bytes.of(CanonicalJson.encode(toJson(values))).sha256Hex();
    }

    public Map<String, String> read() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String format = p.getProperty("format", "1");
        if (Integer.parseInt(format) > FORMAT) {
            throw new IllegalStateException(file + " has format " + format + ", newer than this agent's " + FORMAT);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        out.remove("format");
        return out;
    }

    /** Creates the file with the device id when missing; existing properties are never overwritten. */
    public void ensure(String deviceId) {
        Map<String, String> now = read();
        if (!now.isEmpty()) return;
        write(Map.of("device.id", deviceId));
    }

    public void write(Map<String, String> values) {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        p.setProperty("format", Integer.toString(FORMAT));
        StringWriter w = new StringWriter();
        try {
            p.store(w, "device properties: kept across every update");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MetadataStore.writeAtomically(file, w.toString().getBytes(StandardCharsets.UTF_8));
    }
}
