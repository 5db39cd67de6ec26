package dev.ota.agent.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageCacheTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);
    private static final String D = "d".repeat(64);

    @TempDir
    Path dir;

    @Test
    void theLeastRecentlyNeededImagesAreEvictedFirstAndOnlyAsManyAsNeeded() {
        List<ImageCache.Entry> lru = List.of(new ImageCache.Entry(A, 40), new ImageCache.Entry(B, 40), new ImageCache.Entry(C, 20));
        assertEquals(Optional.of(List.of(A)), ImageCache.evictions(lru, 30, 100, Set.of()));
        assertEquals(Optional.of(List.of(A, B)), ImageCache.evictions(lru, 60, 100, Set.of()));
        assertEquals(Optional.of(List.of()), ImageCache.evictions(lru, 0, 100, Set.of()));
    }

    @Test
    void anImageADeviceIsStillOrderedToRunIsNeverEvicted() {
        List<ImageCache.Entry> lru = List.of(new ImageCache.Entry(A, 40), new ImageCache.Entry(B, 40), new ImageCache.Entry(C, 20));
        assertEquals(Optional.of(List.of(B)), ImageCache.evictions(lru, 30, 100, Set.of(A)));
        assertEquals(Optional.empty(), ImageCache.evictions(lru, 50, 100, Set.of(A, B)), "cannot fit: nothing evicted");
    }

    @Test
    void anImageThatCannotFitBesideThePinnedOnesIsLeftToTheCaller() throws Exception {
        ImageCache cache = new ImageCache(dir.resolve("images"), 100);
        assertTrue(cache.admit(A, file("a", 60), Set.of()));
        Path big = file("b", 60);
        assertFalse(cache.admit(B, big, Set.of(A)));
        assertTrue(Files.exists(big), "the caller serves it once");
        assertEquals(List.of(A), cache.hashes());
        assertTrue(cache.admit(B, big, Set.of()), "once A is no longer ordered, it makes room");
        assertEquals(List.of(B), cache.hashes());
        assertEquals(60, cache.usedBytes());
    }

    @Test
    void servingAnImageMakesItTheMostRecentlyNeededAndTheOrderSurvivesARestart() throws Exception {
        ImageCache cache = new ImageCache(dir.resolve("images"), 100);
        cache.admit(A, file("a", 30), Set.of());
        cache.admit(B, file("b", 30), Set.of());
        Files.setLastModifiedTime(dir.resolve("images").resolve(A), java.nio.file.attribute.FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(dir.resolve("images").resolve(B), java.nio.file.attribute.FileTime.fromMillis(2_000));
        cache.get(A);
        assertEquals(List.of(B, A), cache.hashes());

        ImageCache reopened = new ImageCache(dir.resolve("images"), 100);
        assertEquals(List.of(B, A), reopened.hashes());
        assertTrue(reopened.admit(C, file("c", 50), Set.of()));
        assertEquals(List.of(A, C), reopened.hashes(), "B, needed least recently, made room");
    }

    @Test
    void theImagesADevicesDirectorTargetsOrderAreReadWithoutTheConfigurationTarget() {
        byte[] targets = ("{\"signed\":{\"_type\":\"targets\",\"targets\":{\"lock-fw/1.5.0.bin\":{\"length\":3,\"hashes\":{\"sha256\":\"" + D
                + "\"}},\"config/lock-1.json\":{\"length\":2,\"hashes\":{\"sha256\":\"" + C + "\"}}}},\"signatures\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of(Set.of(D)), Gateway.ordered(targets));
        assertEquals(Optional.empty(), Gateway.ordered("not json".getBytes(StandardCharsets.UTF_8)));
    }

    private Path file(String name, int size) throws Exception {
        Path p = dir.resolve(name + ".part");
        Files.write(p, new byte[size]);
        return p;
    }
}
