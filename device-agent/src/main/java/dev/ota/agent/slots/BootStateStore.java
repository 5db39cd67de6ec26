package dev.ota.agent.slots;

import dev.ota.tuf.client.MetadataStore;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** The boot selection file, written atomically: a power loss leaves the old selection or the new one. */
public final class BootStateStore {
    private final Path file;

    public BootStateStore(Path stateDir) {
        this.file = stateDir.resolve("bootstate");
    }

    public BootState read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return BootState.factory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String trial = p.getProperty("trial", "");
        return new BootState(Slot.valueOf(p.getProperty("committed", "A")),
                trial.isEmpty() ? Optional.empty() : Optional.of(Slot.valueOf(trial)),
                Integer.parseInt(p.getProperty("trial-boots-left", "0")));
    }

    public void write(BootState s) {
        String text = "committed=" + s.committed().name() + "\n"
                + "trial=" + s.trial().map(Slot::name).orElse("") + "\n"
                + "trial-boots-left=" + s.trialBootsLeft() + "\n";
        MetadataStore.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
