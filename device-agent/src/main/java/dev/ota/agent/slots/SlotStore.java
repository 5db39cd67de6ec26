package dev.ota.agent.slots;

import dev.ota.tuf.client.MetadataStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The two slots as folders: each holds {@code image} and {@code release.properties} (target path, version,
 * sha256, release counter when the release has one). An image is written to the inactive slot and read back to verify its hash before the slot may go
 * on trial. A slot capacity simulates the flash size, so a full disk can be tested.
 */
public final class SlotStore {
    private final Path slotsDir;
    private final OptionalLong capacity;

    public SlotStore(Path slotsDir, OptionalLong capacity) {
        this.slotsDir = slotsDir;
        this.capacity = capacity;
    }

    public Path dir(Slot slot) {
        return slotsDir.resolve(slot.dirName());
    }

    public Optional<Release> release(Slot slot) {
        Path f = dir(slot).resolve("release.properties");
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
            String counter = p.getProperty("releaseCounter");
            return Optional.of(new Release(p.getProperty("target"), p.getProperty("version"), p.getProperty("sha256"),
                    counter == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(counter))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the slot's content with {@code image}, then reads it back and checks its hash.
     *
     * @throws SlotWriteException if the image does not fit or does not read back as written
     */
    public void write(Slot slot, Path image, Release release) {
        Path d = dir(slot);
        try {
            long size = Files.size(image);
            if (capacity.isPresent() && size > capacity.getAsLong()) {
                throw new SlotWriteException("no space left in slot " + slot + ": image needs " + size
                        + " bytes, slot holds " + capacity.getAsLong());
            }
            clear(d);
            Files.createDirectories(d);
            Path target = d.resolve("image");
            try (InputStream in = Files.newInputStream(image);
                 FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                in.transferTo(out);
                out.flush();
                ch.force(true);
            }
            String actual = sha256(target);
            if (!actual.equals(release.sha256())) {
                throw new SlotWriteException("slot " + slot + " reads back sha256 " + actual + " instead of " + release.sha256());
            }
            String props = "target=" + escape(release.target()) + "\nversion=" + escape(release.version())
                    + "\nsha256=" + release.sha256() + "\n"
                    + (release.releaseCounter().isPresent() ? "releaseCounter=" + release.releaseCounter().getAsLong() + "\n" : "");
            MetadataStore.writeAtomically(d.resolve("release.properties"), props.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SlotWriteException("cannot write slot " + slot + ": " + e.getMessage());
        }
    }

    /** Whether the slot's image still has the hash its release file names (never boot a slot that fails this). */
    public boolean verify(Slot slot) {
        Optional<Release> r = release(slot);
        if (r.isEmpty()) return false;
        try {
            return sha256(dir(slot).resolve("image")).equals(r.get().sha256());
        } catch (IOException e) {
            return false;
        }
    }

    private static void clear(Path d) throws IOException {
        if (!Files.exists(d)) return;
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /**
     * What a slot holds. {@code releaseCounter} is the image repository's counter of the release (absent for
     * releases made before counters existed); the agent refuses a release with a lower one than it runs.
     */
    public record Release(String target, String version, String sha256, OptionalLong releaseCounter) {
        public Release(String target, String version, String sha256) {
            this(target, version, sha256, OptionalLong.empty());
        }
    }

    /** Writing an image to a slot failed; the slot is not bootable and the committed slot is untouched. */
    public static final class SlotWriteException extends RuntimeException {
        public SlotWriteException(String message) {
            super(message);
        }
    }
}
