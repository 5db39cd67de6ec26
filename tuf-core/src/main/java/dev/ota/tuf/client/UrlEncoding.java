package dev.ota.tuf.client;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding as python's {@code urllib.parse.quote(s, safe="")}, which TUF clients use for role names in
 * metadata URLs and file names: only {@code A-Z a-z 0-9 _ . - ~} stay as they are, so {@code /} becomes
 * {@code %2F} and no encoded name can leave its folder.
 */
public final class UrlEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlEncoding() {
    }

    public static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * A file name for a target path: {@link #encode}, except that {@code .} and {@code ..}, which quote() leaves
     * unchanged, are escaped too, since as file names they would mean the folder itself or its parent.
     */
    public static String fileName(String targetPath) {
        String encoded = encode(targetPath);
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    /** Encodes a target path for a URL path: like {@link #encode} but keeps {@code /} as the separator. */
    public static String encodePath(String path) {
        String[] parts = path.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) out.append('/');
            out.append(encode(parts[i]));
        }
        return out.toString();
    }
}
