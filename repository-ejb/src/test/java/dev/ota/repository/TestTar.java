package dev.ota.repository;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes small tar archives for tests, entry by entry, the way POSIX describes ustar and pax headers. */
final class TestTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TestTar file(String name, byte[] content) {
        return entry(name, '0', content);
    }

    TestTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TestTar directory(String name) {
        return entry(name, '5', new byte[0]);
    }

    TestTar symlink(String name) {
        return entry(name, '2', new byte[0]);
    }

    /** A pax extended header naming the next entry {@code path}, then that entry under a short ustar name. */
    TestTar paxFile(String path, byte[] content) {
        String record = " path=" + path + "\n";
        int length = record.getBytes(StandardCharsets.UTF_8).length;
        int total = length + String.valueOf(length).length();
        total = length + String.valueOf(total).length();
        entry("PaxHeaders/x", 'x', (total + record).getBytes(StandardCharsets.UTF_8));
        return file("short-name", content);
    }

    TestTar entry(String name, char type, byte[] content) {
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

    /** The archive with its end-of-archive marker. */
    byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    /** The entries written so far without any end-of-archive marker: what a cut connection delivers. */
    byte[] withoutEnd() {
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
