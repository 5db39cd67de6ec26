package dev.ota.installation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void restrictToOwnerNarrowsWhatH2CreatedWithTheUmask() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        // Arrange: what an H2 first open leaves behind under umask 022
        Path data = temp.resolve("data");
        Path h2 = Files.createDirectories(data.resolve("h2"));
        Path db = Files.writeString(h2.resolve("ota.mv.db"), "pages");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        // Act
        int narrowed = DataDirectory.restrictToOwner(data);

        // Assert
        assertEquals(3, narrowed);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(h2)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        assertEquals(0, DataDirectory.restrictToOwner(data), "a second run has nothing left to narrow");
    }

    @Test
    void firstBlobDirectoryMakesEveryNewParentOwnerOnlyWhateverTheUmask() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path data = Files.createDirectories(temp.resolve("data"));

        DataDirectory.ensurePrivateDirectory(data.resolve("blobs").resolve("ab"));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("blobs"))));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("blobs").resolve("ab"))));
    }

    @Test
    void restrictToOwnerLeavesTheTargetOfASymbolicLinkAlone() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path outside = Files.writeString(temp.resolve("shared.txt"), "not ours to change");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.createSymbolicLink(data.resolve("link"), outside);

        DataDirectory.restrictToOwner(data);

        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(outside, LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void withoutPosixPermissionsNothingChangesAndStartUpGoesOn() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(0, DataDirectory.restrictToOwner(data, false));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }
}
