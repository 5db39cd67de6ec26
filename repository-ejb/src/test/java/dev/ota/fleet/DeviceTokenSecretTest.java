package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTokenSecretTest {
    @TempDir
    Path dir;

    @Test
    void firstServerMakesAnOwnerOnlyKeyThatEveryLaterCallReadsBack() throws IOException {
        byte[] first = DeviceTokenSecret.loadOrCreate(dir);
        byte[] again = DeviceTokenSecret.loadOrCreate(dir);

        assertEquals(32, first.length);
        assertArrayEquals(first, again);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(DeviceTokenSecret.FILE))));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no candidate file left behind");
        }
    }

    @Test
    void aTruncatedKeyFileIsRefusedRatherThanUsedAsAWeakKey() throws IOException {
        Files.writeString(dir.resolve(DeviceTokenSecret.FILE), "c2hvcnQ=\n");

        assertThrows(IllegalStateException.class, () -> DeviceTokenSecret.loadOrCreate(dir));
    }

    @Test
    void aPreviousKeyLeftBesideTheNewOneIsStillCheckedButNeverMintedUnder() throws IOException {
        byte[] old = DeviceTokenSecret.loadOrCreate(dir);
        Files.move(dir.resolve(DeviceTokenSecret.FILE), dir.resolve(DeviceTokenSecret.PREVIOUS_FILE));

        var keys = DeviceTokenSecret.loadAll(dir);

        assertEquals(2, keys.size());
        assertArrayEquals(old, keys.get(1));
        assertEquals(false, java.util.Arrays.equals(old, keys.get(0)), "a new current key was made");
    }
}
