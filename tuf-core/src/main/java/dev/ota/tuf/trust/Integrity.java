package dev.ota.tuf.trust;

import dev.ota.tuf.LengthOrHashMismatchException;
import dev.ota.tuf.metadata.Bytes;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;

/** Length and hash checks of bytes against what a trusted parent lists. */
public final class Integrity {
    private Integrity() {
    }

    /**
     * @throws LengthOrHashMismatchException if the length differs, any listed hash differs, or a listed hash
     *         algorithm is unknown (an unverifiable hash must not pass as verified)
     */
    public static void check(String subject, Bytes data, OptionalLong length, Map<String, String> hashes) {
        if (length.isPresent() && length.getAsLong() != data.length()) {
            throw new LengthOrHashMismatchException(subject, "length", Long.toString(length.getAsLong()), Integer.toString(data.length()));
        }
        for (Map.Entry<String, String> h : hashes.entrySet()) {
            byte[] actual = data.digestByTufName(h.getKey());
            if (actual == null) {
                throw new LengthOrHashMismatchException(subject, h.getKey(), h.getValue(), "unsupported hash algorithm");
            }
            byte[] expected;
            try {
                expected = HexFormat.of().parseHex(h.getValue());
            } catch (IllegalArgumentException e) {
                throw new LengthOrHashMismatchException(subject, h.getKey(), h.getValue(), "an invalid hex digest");
            }
            if (!MessageDigest.isEqual(expected, actual)) {
                throw new LengthOrHashMismatchException(subject, h.getKey(), h.getValue(), HexFormat.of().formatHex(actual));
            }
        }
    }
}
