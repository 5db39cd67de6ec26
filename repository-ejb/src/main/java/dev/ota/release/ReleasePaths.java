package dev.ota.release;

import dev.ota.error.ErrorKind;
import dev.ota.repository.RepositoryFailure;
import dev.ota.repository.Shown;
import java.util.Locale;

/**
 * The one rule for the target paths this server publishes, applied to every upload and import before
 * anything is stored. Stricter than TUF needs ({@link dev.ota.tuf.repository.TargetPaths} only keeps a path
 * servable): a path is ASCII letters, digits, {@code .}, {@code _} and {@code -} in segments separated by
 * {@code /}, because
 * <ul>
 *   <li>invisible and look-alike characters (U+200B, U+202E, Cyrillic letters) would let a copy of a path
 *       look identical to the original in the portal and in every listing;</li>
 *   <li>{@code %}, {@code ?} and {@code #} are read as URL syntax by tuf-js and python-tuf, which paste the
 *       path into the download URL unencoded (interop/KNOWN-GAPS.md, section 4), and markup characters
 *       have no business in a file name;</li>
 *   <li>ASCII object keys sort alike by code point and by UTF-16 unit, so no pair of paths can make a bin's
 *       canonical bytes differ between python-tuf and tuf-js (KNOWN-GAPS.md, section 1).</li>
 * </ul>
 * Within that set the only look-alikes left are paths that differ in letter case: they are one name on
 * case-insensitive file systems and to a reader, so a path is refused while a listed one equals it
 * ignoring case ({@link #folded}). Digit/letter pairs such as {@code 0}/{@code O} are told apart by the
 * portal's font and are accepted.
 */
public final class ReleasePaths {
    /** The longest accepted path; the served name adds 65 characters ({@code <sha256>.}). */
    public static final int MAX_LENGTH = 512;
    /** The rule in words: the OpenAPI parameter, the error message and the README quote it. */
    public static final String RULE = "a target path is 1 to 512 characters: segments of ASCII letters, digits, '.', "
            + "'_' and '-' separated by single '/', no segment '.' or '..', no leading or trailing '/'";

    private ReleasePaths() {
    }

    /**
     * @return {@code path}, if this server may publish it
     * @throws RepositoryFailure {@code release.invalid-path} naming the first character or segment at fault
     */
    static String requireValid(String path) {
        if (path == null || path.isEmpty()) {
            throw invalid(path, "is empty");
        }
        for (int i = 0; i < path.length(); ) {
            int c = path.codePointAt(i);
            if (!allowed(c)) {
                throw invalid(path, "holds " + Shown.codePoint(c) + " at position " + i);
            }
            i += Character.charCount(c);
        }
        // ASCII from here on: one char per character.
        if (path.length() > MAX_LENGTH) {
            throw invalid(path, "has " + path.length() + " characters");
        }
        // device-api.md: config/{deviceId}.json in a device's director targets is its desired configuration, never an
        // image; a release there would collide with it (and the agent would never install it).
        if (folded(path).startsWith("config/")) {
            throw invalid(path, "is under 'config/', where the director lists desired configurations");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                throw invalid(path, "has an empty segment (a leading, trailing or doubled '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid(path, "has a '" + segment + "' segment");
            }
        }
        return path;
    }

    /** The form two paths share when they differ only in letter case (exact for ASCII, the only paths accepted). */
    static String folded(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    /**
     * The {@code n}th derived path of a rollback of {@code original}: {@code -rb<n>} before the last segment's
     * extension ({@code lock-fw/1.4.0.bin} -> {@code lock-fw/1.4.0-rb1.bin}), or at its end when it has none.
     */
    static String rollbackPath(String original, int n) {
        int segment = original.lastIndexOf('/') + 1;
        int dot = original.lastIndexOf('.');
        String suffix = "-rb" + n;
        return dot > segment ? original.substring(0, dot) + suffix + original.substring(dot) : original + suffix;
    }

    private static boolean allowed(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' || c == '_' || c == '-' || c == '/';
    }

    private static RepositoryFailure invalid(String path, String problem) {
        return new RepositoryFailure("release.invalid-path", ErrorKind.INVALID_INPUT,
                "target path " + Shown.text(path) + " " + problem + "; " + RULE);
    }
}
