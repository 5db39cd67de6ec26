package dev.ota.release;

import dev.ota.tuf.testing.TestTar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {
    private static TarReader reader(byte[] archive) {
        return new TarReader(new ByteArrayInputStream(archive));
    }

    /** Every entry as "kind name=content", reading each content to its end. */
    private static List<String> readAll(byte[] archive) throws IOException {
        TarReader tar = reader(archive);
        List<String> out = new ArrayList<>();
        TarReader.Entry e;
        while ((e = tar.next()) != null) {
            out.add(e.kind() + " " + e.name() + "=" + new String(tar.content().readAllBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void readsEntriesInOrderWithTheirExactContent() throws IOException {
        byte[] big = new byte[70_000];
        new java.util.Random(7).nextBytes(big);
        byte[] archive = new TestTar().directory("firmware/").file("firmware/a.bin", "alpha").file("b.bin", big)
                .file("empty.bin", new byte[0]).bytes();

        TarReader tar = reader(archive);
        assertEquals(new TarReader.Entry(1, "firmware/", TarReader.Kind.DIRECTORY, 0), tar.next());
        assertEquals(new TarReader.Entry(2, "firmware/a.bin", TarReader.Kind.FILE, 5), tar.next());
        assertArrayEquals("alpha".getBytes(StandardCharsets.UTF_8), tar.content().readAllBytes());
        assertEquals(new TarReader.Entry(3, "b.bin", TarReader.Kind.FILE, big.length), tar.next());
        assertArrayEquals(big, tar.content().readAllBytes());
        assertEquals(0, tar.next().size());
        assertEquals(-1, tar.content().read());
        assertNull(tar.next());
        assertNull(tar.next(), "the end stays the end");
    }

    @Test
    void skipsContentTheCallerDidNotRead() throws IOException {
        byte[] archive = new TestTar().file("a.bin", new byte[1500]).file("b.bin", "bee").bytes();

        assertEquals(List.of("FILE b.bin=bee"), readAll(archive).subList(1, 2));
        TarReader tar = reader(archive);
        tar.next();
        assertEquals("b.bin", tar.next().name());
        assertEquals("bee", new String(tar.content().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void takesTheNameOfAPaxHeaderOverTheUstarName() throws IOException {
        String longPath = "firmware/" + "d".repeat(150) + "/ünïcode-image.bin";
        byte[] archive = new TestTar().paxFile(longPath, "x".getBytes(StandardCharsets.UTF_8)).bytes();

        assertEquals(List.of("FILE " + longPath + "=x"), readAll(archive));
    }

    @Test
    void reportsLinksSoThatTheCallerCanRefuseThem() throws IOException {
        TarReader tar = reader(new TestTar().symlink("link.bin").entry("hard.bin", '1', new byte[0]).bytes());

        assertEquals(TarReader.Kind.SYMBOLIC_LINK, tar.next().kind());
        assertEquals(TarReader.Kind.HARD_LINK, tar.next().kind());
    }

    @Test
    void refusesAnArchiveCutBetweenTwoEntries() throws IOException {
        byte[] cut = new TestTar().file("a.bin", "alpha").file("b.bin", "beta").withoutEnd();

        TarReader tar = reader(cut);
        tar.next();
        tar.next();
        var e = assertThrows(TarReader.MalformedArchiveException.class, tar::next);
        assertTrue(e.getMessage().contains("end-of-archive marker"), e.getMessage());
    }

    @Test
    void refusesAnArchiveWithHalfAnEndMarker() {
        byte[] full = new TestTar().file("a.bin", "alpha").bytes();
        byte[] half = Arrays.copyOf(full, full.length - 512);

        assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(half));
    }

    @Test
    void refusesAnArchiveCutInsideAnEntrysContent() {
        byte[] full = new TestTar().file("a.bin", new byte[2000]).bytes();
        byte[] cut = Arrays.copyOf(full, 512 + 1000);

        var e = assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(cut));
        assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    }

    @Test
    void refusesAnArchiveCutInsideAHeader() {
        byte[] full = new TestTar().file("a.bin", "alpha").file("b.bin", "beta").bytes();
        byte[] cut = Arrays.copyOf(full, 1024 + 300);

        assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(cut));
    }

    @Test
    void refusesAHeaderWhoseChecksumDoesNotMatch() {
        byte[] archive = new TestTar().file("a.bin", "alpha").file("b.bin", "beta").bytes();
        archive[1024 + 3] ^= 0x01; // one bit of the second entry's name

        var e = assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(archive));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void refusesAStreamThatIsNotATarArchive() {
        byte[] json = "{\"path\":\"a.bin\"}\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[4096];
        new java.util.Random(1).nextBytes(random);

        assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(json));
        assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(random));
        assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(new byte[0]));
    }

    @Test
    void refusesAMalformedSizeField() {
        byte[] archive = new TestTar().file("a.bin", "alpha").bytes();
        archive[124] = '9'; // not an octal digit; checksum fixed up so only the size is wrong
        fixChecksum(archive, 0);

        var e = assertThrows(TarReader.MalformedArchiveException.class, () -> readAll(archive));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
    }

    @Test
    void readsWhatGnuTarWritesInPosixAndGnuFormats(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
                "GNU tar is not installed");
        // posix (pax) and gnu (long-name entries) hold any length; ustar splits into prefix and name.
        String deep = "firmware/" + "long-directory-name-".repeat(8) + "/image.bin";
        String split = "firmware/" + "p".repeat(80) + "/" + "n".repeat(60) + ".bin";
        for (String format : List.of("posix", "gnu", "ustar")) {
            Path src = dir.resolve(format);
            String name = format.equals("ustar") ? split : deep;
            Files.createDirectories(src.resolve(name).getParent());
            Files.writeString(src.resolve(name), "deep");
            Files.writeString(src.resolve("top.bin"), "top");
            Path archive = dir.resolve(format + ".tar");
            Process p = new ProcessBuilder("tar", "--format=" + format, "-cf", archive.toString(), "-C",
                    src.toString(), "--sort=name", ".").redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), log);

            List<String> files = readAll(Files.readAllBytes(archive)).stream().filter(s -> s.startsWith("FILE")).toList();

            assertEquals(List.of("FILE ./" + name + "=deep", "FILE ./top.bin=top"), files, format);
        }
    }

    private static void fixChecksum(byte[] archive, int offset) {
        for (int i = 148; i < 156; i++) {
            archive[offset + i] = ' ';
        }
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += archive[offset + i] & 0xff;
        }
        byte[] octal = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(octal, 0, archive, offset + 148, 6);
        archive[offset + 154] = 0;
    }
}
