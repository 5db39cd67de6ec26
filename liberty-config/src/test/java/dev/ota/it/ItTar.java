package dev.ota.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds tar archives (ustar headers, pax for long names) for the import ITs, as tar(1) writes them. */
final class ItTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ItTar file(String name, byte[] content) {
        if (name.getBytes(StandardCharsets.UTF_8).length > 100) {
            String record = " path=" + name + "\n";
            int length = record.getBytes(StandardCharsets.UTF_8).length;
            int total = length + String.valueOf(length + String.valueOf(length).length()).length();
            entry("PaxHeaders/long", 'x', (total + record).getBytes(StandardCharsets.UTF_8));
            return entry("long-name", '0', content);
        }
        return entry(name, '0', content);
    }

    ItTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    ItTar symlink(String name) {
        return entry(name, '2', new byte[0]);
    }

    ItTar entry(String name, char type, byte[] content) {
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
    byte[] bytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(new byte[1024]);
        return all.toByteArray();
    }

    /** The entries so far without the end-of-archive marker: what a connection cut between entries delivers. */
    byte[] cut() {
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
