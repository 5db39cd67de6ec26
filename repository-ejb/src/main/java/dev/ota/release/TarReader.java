package dev.ota.release;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a POSIX tar stream (ustar, with pax extended headers and GNU long names, as GNU tar,
 * bsdtar, Python's tarfile and Go's archive/tar write them) one entry at a time, without holding
 * more than one 512-byte block and one header's extension in memory. Entry contents are handed
 * out as a stream bounded by the entry's size.
 * <p>
 * Strict on purpose, because an import is all-or-nothing: every header checksum is verified, an
 * archive that ends without its end-of-archive marker (two zero blocks) is refused as truncated
 * (a connection cut between two entries must not import the entries before the cut), and numeric
 * fields must be well-formed. Links, devices and FIFOs are reported with their type so that the
 * caller can refuse them. Not thread-safe: one reader per stream.
 */
final class TarReader {
    static final int BLOCK = 512;
    /** A pax or GNU long-name header larger than this is not a header a tool would write. */
    static final int MAX_EXTENSION_BYTES = 64 * 1024;

    /** What an entry is; everything but {@link #FILE} and {@link #DIRECTORY} is refused by importers. */
    enum Kind { FILE, DIRECTORY, HARD_LINK, SYMBOLIC_LINK, DEVICE_OR_FIFO, OTHER }

    /** One entry: its name (pax path, GNU long name or ustar prefix/name), kind and content size. */
    record Entry(int index, String name, Kind kind, long size) {
    }

    /** The stream is not a well-formed tar archive; the message says where and why. */
    static final class MalformedArchiveException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedArchiveException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final byte[] block = new byte[BLOCK];
    private long remaining;
    private long padding;
    private int index;
    private boolean finished;

    TarReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next entry, skipping whatever of the previous one's content was not read; {@code null}
     * after the end-of-archive marker.
     *
     * @throws MalformedArchiveException if the stream is truncated or a header is corrupt
     */
    Entry next() throws IOException {
        if (finished) {
            return null;
        }
        skipRest();
        String longName = null;
        String paxPath = null;
        Long paxSize = null;
        while (true) {
            if (!readBlock()) {
                throw new MalformedArchiveException("the archive ends after " + index
                        + " entries without its end-of-archive marker (truncated?)");
            }
            if (isZero(block)) {
                if (!readBlock() || !isZero(block)) {
                    throw new MalformedArchiveException("the archive ends after " + index
                            + " entries without its complete end-of-archive marker (truncated?)");
                }
                // Whatever follows (tar pads to 10 KiB records) is ignored.
                finished = true;
                return null;
            }
            verifyChecksum();
            byte type = block[156];
            long size = size();
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                if (size > MAX_EXTENSION_BYTES) {
                    throw new MalformedArchiveException("header extension of " + size + " bytes after entry " + index
                            + " exceeds " + MAX_EXTENSION_BYTES);
                }
                byte[] data = readExtension((int) size);
                if (type == 'L') {
                    longName = utf8(trimNul(data, data.length), "GNU long name");
                } else if (type == 'x') {
                    for (var record : paxRecords(data).entrySet()) {
                        if (record.getKey().equals("path")) {
                            paxPath = record.getValue();
                        } else if (record.getKey().equals("size")) {
                            paxSize = parseDecimal(record.getValue(), "pax size");
                        }
                    }
                }
                // 'g' (global pax defaults) and 'K' (GNU long link name) carry nothing an import uses.
                continue;
            }
            index++;
            long contentSize = paxSize != null ? paxSize : size;
            String name = paxPath != null ? paxPath : longName != null ? longName : ustarName();
            Kind kind = kind(type);
            remaining = contentSize;
            padding = (BLOCK - remaining % BLOCK) % BLOCK;
            return new Entry(index, name, kind, remaining);
        }
    }

    /**
     * The current entry's content; ends after exactly its size. A stream that ends earlier fails
     * with {@link MalformedArchiveException}.
     */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n == -1) {
                    throw new MalformedArchiveException("entry " + index + " ends " + remaining
                            + " bytes before its declared size (truncated?)");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private void skipRest() throws IOException {
        long toSkip = remaining + padding;
        byte[] buffer = new byte[8192];
        while (toSkip > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, toSkip));
            if (n == -1) {
                throw new MalformedArchiveException("entry " + index + " ends before its declared size (truncated?)");
            }
            toSkip -= n;
        }
        remaining = 0;
        padding = 0;
    }

    private byte[] readExtension(int size) throws IOException {
        byte[] data = new byte[size];
        int read = in.readNBytes(data, 0, size);
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        if (read < size || in.readNBytes((int) pad).length < pad) {
            throw new MalformedArchiveException("a header extension after entry " + index + " is truncated");
        }
        return data;
    }

    private boolean readBlock() throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new MalformedArchiveException("the archive ends inside a header after entry " + index + " (truncated?)");
        }
        return true;
    }

    private void verifyChecksum() throws MalformedArchiveException {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        long stored = parseOctal(148, 8, "header checksum");
        if (stored != unsigned && stored != signed) {
            throw new MalformedArchiveException("the header after entry " + index
                    + " fails its checksum (corrupt, or not a tar archive)");
        }
    }

    private long size() throws MalformedArchiveException {
        if ((block[124] & 0x80) != 0) {
            // GNU base-256 for sizes beyond 8 GiB: big-endian, the top bit of the first byte is the flag.
            if ((block[124] & 0x40) != 0) {
                throw new MalformedArchiveException("the header after entry " + index + " has a negative size");
            }
            long v = block[124] & 0x3f;
            for (int i = 125; i < 136; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new MalformedArchiveException("the header after entry " + index + " has an impossible size");
                }
                v = (v << 8) | (block[i] & 0xff);
            }
            return v;
        }
        return parseOctal(124, 12, "size");
    }

    private long parseOctal(int offset, int length, String field) throws MalformedArchiveException {
        int i = offset;
        int end = offset + length;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        long v = 0;
        boolean digits = false;
        for (; i < end && block[i] != ' ' && block[i] != 0; i++) {
            int d = block[i] - '0';
            if (d < 0 || d > 7) {
                throw new MalformedArchiveException("the header after entry " + index + " has a malformed " + field);
            }
            v = v * 8 + d;
            digits = true;
        }
        for (; i < end; i++) {
            if (block[i] != ' ' && block[i] != 0) {
                throw new MalformedArchiveException("the header after entry " + index + " has a malformed " + field);
            }
        }
        if (!digits) {
            throw new MalformedArchiveException("the header after entry " + index + " has no " + field);
        }
        return v;
    }

    private String ustarName() throws MalformedArchiveException {
        String name = utf8(trimNul(block, 0, 100), "name");
        boolean ustar = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r';
        boolean gnu = ustar && block[262] == ' ';
        if (ustar && !gnu && block[345] != 0) {
            return utf8(trimNul(block, 345, 155), "name prefix") + "/" + name;
        }
        return name;
    }

    private static Kind kind(byte type) {
        return switch (type) {
            case '0', 0, '7' -> Kind.FILE;
            case '5' -> Kind.DIRECTORY;
            case '1' -> Kind.HARD_LINK;
            case '2' -> Kind.SYMBOLIC_LINK;
            case '3', '4', '6' -> Kind.DEVICE_OR_FIFO;
            default -> Kind.OTHER;
        };
    }

    /** pax records: "{length} {key}={value}\n", the length counting the whole record. */
    private java.util.Map<String, String> paxRecords(byte[] data) throws MalformedArchiveException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && space - pos < 7) {
                space++;
            }
            if (space == pos || space >= data.length || data[space] != ' ') {
                throw new MalformedArchiveException("a pax header after entry " + index + " is malformed");
            }
            int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            int end = pos + length;
            if (length <= space - pos + 1 || end > data.length || data[end - 1] != '\n') {
                throw new MalformedArchiveException("a pax header after entry " + index + " is malformed");
            }
            String record = utf8(java.util.Arrays.copyOfRange(data, space + 1, end - 1), "pax record");
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw new MalformedArchiveException("a pax header after entry " + index + " is malformed");
            }
            out.put(record.substring(0, eq), record.substring(eq + 1));
            pos = end;
        }
        return out;
    }

    private long parseDecimal(String value, String field) throws MalformedArchiveException {
        if (!value.matches("[0-9]{1,18}")) {
            throw new MalformedArchiveException("entry " + (index + 1) + " has a malformed " + field);
        }
        return Long.parseLong(value);
    }

    private String utf8(byte[] bytes, String field) throws MalformedArchiveException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedArchiveException("entry " + (index + 1) + " has a " + field + " that is not UTF-8");
        }
    }

    private static byte[] trimNul(byte[] b, int length) {
        return trimNul(b, 0, length);
    }

    private static byte[] trimNul(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return java.util.Arrays.copyOfRange(b, offset, end);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
