package dev.ota.protocol;

/**
 * What a {@code Range} request header asks of a file of known length (RFC 9110 §14), decided without any
 * servlet or HTTP server: a device resumes an interrupted image download from where it stopped (fleet.md)
 * instead of fetching the whole image again, from the server (device-api-war's FileServlet) or from a gateway
 * (the agent's gateway mode), which both serve ranges by this one decision. Only one range is served; several ranges, another unit or a malformed
 * header are ignored and the whole file is sent, which RFC 9110 allows and no device needs more.
 */
public sealed interface ByteRange {

    /** Send the whole file with 200. */
    record Whole() implements ByteRange {
    }

    /** Send bytes {@code first..last} (inclusive) with 206. */
    record Part(long first, long last) implements ByteRange {
        public long length() {
            return last - first + 1;
        }

        /** The {@code Content-Range} value of this part of a file of {@code total} bytes. */
        public String contentRange(long total) {
            return "bytes " + first + "-" + last + "/" + total;
        }
    }

    /** Nothing of the file lies in the range asked for: 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements ByteRange {
    }

    ByteRange WHOLE = new Whole();
    ByteRange UNSATISFIABLE = new Unsatisfiable();

    /**
     * @param range   the {@code Range} header, or null
     * @param ifRange the {@code If-Range} header, or null: the range applies only while it is the file's
     *                (strong) entity tag; a date or another tag means the device holds other bytes, so it
     *                gets the whole file
     * @param etag    the file's strong entity tag, quoted
     * @param length  the file's length in bytes
     */
    static ByteRange of(String range, String ifRange, String etag, long length) {
        if (range == null) return WHOLE;
        if (ifRange != null && !ifRange.trim().equals(etag)) return WHOLE;
        String spec = range.trim();
        int eq = spec.indexOf('=');
        if (eq < 0 || !spec.substring(0, eq).trim().equalsIgnoreCase("bytes")) return WHOLE;
        spec = spec.substring(eq + 1).trim();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) return WHOLE;
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (from.isEmpty()) {
            // bytes=-N: the last N bytes.
            long suffix = number(to);
            if (suffix < 0) return WHOLE;
            if (suffix == 0 || length == 0) return UNSATISFIABLE;
            return new Part(Math.max(0, length - suffix), length - 1);
        }
        long first = number(from);
        if (first < 0) return WHOLE;
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (last < 0 || last < first) return WHOLE;
        if (first >= length) return UNSATISFIABLE;
        return new Part(first, Math.min(last, length - 1));
    }

    /** The decimal number, {@link Long#MAX_VALUE} if it is larger, or -1 if it is not one. */
    private static long number(String digits) {
        if (digits.isEmpty()) return -1;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
