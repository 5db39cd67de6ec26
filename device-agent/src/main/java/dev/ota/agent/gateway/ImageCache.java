package dev.ota.agent.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway's verified images on disk, one file per SHA-256, at most {@code maxBytes} together. When a new image
 * needs room, the least recently needed images go first, never one a device behind the gateway (or the gateway
 * itself) is still ordered to run ({@code pinned}). Which images go is {@link #evictions}, a pure function; the
 * order of need survives a restart through the files' modification times. Thread-safe.
 */
public final class ImageCache {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final long maxBytes;
    /** Least recently needed first (access order). */
    private final LinkedHashMap<String, Long> sizes = new LinkedHashMap<>(16, 0.75f, true);
    private long used;

    public ImageCache(Path dir, long maxBytes) {
        if (maxBytes <= 0) throw new IllegalArgumentException("the cache size must be positive");
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> SHA256.matcher(p.getFileName().toString()).matches())
                        .sorted(Comparator.comparing(ImageCache::modified)).toList();
            }
            for (Path p : files) {
                long size = Files.size(p);
                sizes.put(p.getFileName().toString(), size);
                used += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the image cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One cached image: its hash and size. */
    public record Entry(String sha256, long size) {
    }

    /**
     * Which images to evict, least recently needed first, so that {@code incoming} more bytes fit under {@code max};
     * empty when they cannot fit without evicting a pinned image (then nothing is evicted).
     *
     * @param leastRecentFirst the cached images, least recently needed first
     */
    public static Optional<List<String>> evictions(List<Entry> leastRecentFirst, long incoming, long max, Set<String> pinned) {
        long used = leastRecentFirst.stream().mapToLong(Entry::size).sum();
        List<String> out = new ArrayList<>();
        for (Entry e : leastRecentFirst) {
            if (used + incoming <= max) break;
            if (pinned.contains(e.sha256())) continue;
            out.add(e.sha256());
            used -= e.size();
        }
        return used + incoming <= max ? Optional.of(out) : Optional.empty();
    }

    /** The cached image with this hash, marked as just needed. */
    public synchronized Optional<Path> get(String sha256) {
        if (!SHA256.matcher(sha256).matches() || sizes.get(sha256) == null) return Optional.empty();
        Path p = dir.resolve(sha256);
        try {
            Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // The order of need is only kept for a restart; losing one touch is harmless.
        }
        return Optional.of(p);
    }

    /** Marks cached images as needed now (a device's director names them), without reading them. */
    public synchronized void needed(Set<String> sha256s) {
        for (String h : sha256s) if (sizes.containsKey(h)) get(h);
    }

    /**
     * Moves {@code verified} (already checked against the image repository's signed hashes) into the cache under its
     * hash, evicting as {@link #evictions} says. False when it cannot fit without evicting a pinned image: the file is
     * then left where it is, for the caller to serve once and delete.
     */
    public synchronized boolean admit(String sha256, Path verified, Set<String> pinned) throws IOException {
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("not a sha256: " + sha256);
        if (sizes.containsKey(sha256)) {
            Files.deleteIfExists(verified);
            return true;
        }
        long size = Files.size(verified);
        List<Entry> entries = new ArrayList<>();
        sizes.forEach((h, s) -> entries.add(new Entry(h, s)));
        Optional<List<String>> evict = evictions(entries, size, maxBytes, pinned);
        if (evict.isEmpty()) return false;
        for (String h : evict.get()) {
            Files.deleteIfExists(dir.resolve(h));
            used -= sizes.remove(h);
        }
        Files.move(verified, dir.resolve(sha256), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sizes.put(sha256, size);
        used += size;
        return true;
    }

    /** The cached hashes, least recently needed first. */
    public synchronized List<String> hashes() {
        return List.copyOf(sizes.keySet());
    }

    public synchronized long usedBytes() {
        return used;
    }

    public long maxBytes() {
        return maxBytes;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    @Override
    public synchronized String toString() {
        return "ImageCache[" + sizes.size() + " images, " + used + " of " + maxBytes + " bytes]";
    }
}
