package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TargetPathsTest {
    // sha256("hello") computed with: printf hello | sha256sum
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @Test
    void targetIsServedAsHashDotBasenameInItsDirectory() {
        TargetFile f = TargetFile.describing(Bytes.utf8("hello"), Optional.empty());
        assertEquals(List.of("firmware/ecu-a/" + HELLO_SHA256 + ".app.bin"), TargetPaths.consistentPaths("firmware/ecu-a/app.bin", f));
        assertEquals(HELLO_SHA256 + ".app.bin", TargetPaths.consistentPath("app.bin", HELLO_SHA256));
    }

    @Test
    void targetWithSeveralHashesIsServedUnderEachOfThem() {
        TargetFile f = new TargetFile(5, Map.of("sha512", "ab12", "sha256", "cd34"), Optional.empty(), Map.of());
        assertEquals(List.of("d/cd34.x.bin", "d/ab12.x.bin"), TargetPaths.consistentPaths("d/x.bin", f));
    }

    @Test
    void pathsThatCouldEscapeOrConfuseTheStoreAreRefused() {
        for (String bad : new String[] {"", "/abs.bin", "a//b.bin", "a/../b.bin", "./a.bin", "dir/", "a\\b.bin", "a\nb"}) {
            InvalidTargetPathException e = assertThrows(InvalidTargetPathException.class,
                    () -> TargetChange.add(bad, TargetFile.describing(Bytes.utf8("x"), Optional.empty())), bad);
            assertEquals(bad, e.path());
        }
    }
}
