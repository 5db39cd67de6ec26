package dev.ota.agent.device;

import dev.ota.tuf.client.MetadataStore;

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
        this.file = stateDir.resolve("device.properties");
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
