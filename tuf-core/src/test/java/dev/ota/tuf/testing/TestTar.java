package dev.ota.tuf.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes small tar archives for tests, entry by entry, as POSIX describes ustar and pax headers and as
 * tar(1) writes them: a name longer than ustar's 100 bytes goes into a pax extended header. One builder
 * for the import's unit tests (repository-ejb) and its integration tests (liberty-config).
 */
public final class TestTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A regular file; a name over 100 bytes is carried by a pax header, as tar(1) does. */
    public TestTar file(String name, byte[] content) {
        return name.getBytes(StandardCharsets.UTF_8).length > 100 ? paxFile(name, content) : entry(name, '0', content);
    }

    public TestTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public TestTar directory(String name) {
        return entry(name, '5', new byte[0]);
    }

    public TestTar symlink(String name) {
        return entry(name, '2', new byte[0]);
    }

    /** A pax extended header naming the next entry {@code path}, then that entry under a short ustar name. */
    public TestTar paxFile(String path, byte[] content) {
        String record = " path=" + path + "\n";
        int length = record.getBytes(StandardCharsets.UTF_8).length;
        // The record's length counts its own decimal digits.
        int total = length + String.valueOf(length).length();
        total = length + String.valueOf(total).length();
        entry("PaxHeaders/x", 'x', (total + record).getBytes(StandardCharsets.UTF_8));
        return entry("short-name", '0', content);
    }

    /** Any entry type, e.g. '3' (character device), with a ustar header and the content padded to 512 bytes. */
    public TestTar entry(String name, char type, byte[] content) {
        byte[] header = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, header, 0, Math.min(100, n.length));
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    /** The archive with its end-of-archive marker (two zero blocks). */
    public byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    /** The entries written so far without any end-of-archive marker: what a connection cut between entries delivers. */
    public byte[] withoutEnd() {
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
