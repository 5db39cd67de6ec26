package dev.ota.account;

import dev.ota.error.ErrorKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be: 12 to 128 characters, not a common password (a bundled list, also
 * with digits or symbols around it and common letter-for-digit swaps undone), not a trivial pattern
 * (one character or a short unit repeated, a run such as {@code abcdef123456}, almost no distinct
 * characters, mostly spaces) and at least 12 characters besides the user name. The length cap keeps the cost of
 * hashing bounded and tells the person the real limit instead of a misleading minimum.
 */
final class PasswordPolicy {
    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 128;
    private static final int MIN_DISTINCT = 5;
    private static final String LIST = "/dev/ota/account/common-passwords.txt";
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** Throws {@code account.weak-password} with a sentence saying what is wrong; returns if acceptable. */
    static void requireAcceptable(char[] password, String username) {
        if (password == null || password.length < MIN_LENGTH) {
            throw weak("a password needs at least " + MIN_LENGTH + " characters");
        }
        String p = new String(password);
        int length = p.codePointCount(0, p.length());
        if (length > MAX_LENGTH) {
            throw weak("a password may have at most " + MAX_LENGTH + " characters (this one has " + length + ")");
        }
        if (p.codePoints().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)).count() < MIN_LENGTH) {
            throw weak("a password needs at least " + MIN_LENGTH + " characters that are not spaces");
        }
        String lower = p.toLowerCase(Locale.ROOT);
        if (lower.codePoints().distinct().count() < MIN_DISTINCT) {
            throw weak("a password needs at least " + MIN_DISTINCT + " different characters");
        }
        if (repeatsAShortUnit(lower)) {
            throw weak("a password must not be a short sequence repeated");
        }
        if (isARun(lower)) {
            throw weak("a password must not be a run of neighbouring characters such as abcdef or 123456");
        }
        // The user name is the first thing an attacker tries; it adds nothing, so what counts is the rest.
        if (username != null && username.length() >= 3
                && lower.replace(username.toLowerCase(Locale.ROOT), "").strip().length() < MIN_LENGTH) {
            throw weak("a password needs at least " + MIN_LENGTH + " characters besides the user name");
        }
        if (isCommon(lower)) {
            throw weak("this password is on the list of common passwords; choose a less predictable one");
        }
    }

    private static AccountException weak(String message) {
        return new AccountException("account.weak-password", ErrorKind.INVALID_INPUT, message);
    }

    /** {@code abcabcabcabc}: the whole password is some shorter unit written again and again. */
    private static boolean repeatsAShortUnit(String p) {
        int n = p.length();
        for (int unit = 1; unit <= n / 2; unit++) {
            if (n % unit == 0 && p.substring(0, unit).repeat(n / unit).equals(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fewer than three places where the next character is not the same as, or the neighbour of, the
     * one before: {@code 123456789012}, {@code abcdefghijkl}, {@code aaaabbbbcccc}, {@code 987654abcdef}.
     */
    private static boolean isARun(String p) {
        int jumps = 0;
        for (int i = 1; i < p.length(); i++) {
            int step = p.charAt(i) - p.charAt(i - 1);
            if (Math.abs(step) > 1 && !(p.charAt(i - 1) == '9' && p.charAt(i) == '0')) {
                jumps++;
            }
        }
        return jumps < 3;
    }

    /**
     * On the list as it is, or once digits and symbols before and after the letters are removed and
     * common swaps ({@code p@ssw0rd}) undone: {@code password1234} and {@code !Dragon2024} are the list's
     * {@code password} and {@code dragon} with the decoration people add to satisfy rules.
     */
    static boolean isCommon(String lower) {
        if (COMMON.contains(lower) || COMMON.contains(lower.replace(" ", ""))) {
            return true;
        }
        String core = trimNonLetters(lower);
        String unswapped = trimNonLetters(unswap(lower));
        return core.length() >= 4 && COMMON.contains(core) || unswapped.length() >= 4 && COMMON.contains(unswapped);
    }

    private static String trimNonLetters(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && !Character.isLetter(s.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetter(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end).replace(" ", "");
    }

    private static String unswap(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean inside = i > 0 && i < s.length() - 1 && Character.isLetter(s.charAt(i - 1));
            b.append(switch (c) {
                case '@', '4' -> inside ? 'a' : c;
                case '3' -> inside ? 'e' : c;
                case '0' -> inside ? 'o' : c;
                case '1', '!' -> inside ? 'i' : c;
                case '$', '5' -> inside ? 's' : c;
                case '7' -> inside ? 't' : c;
                default -> c;
            });
        }
        return b.toString();
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the build");
            }
            Set<String> words = new HashSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w.toLowerCase(Locale.ROOT));
                }
            }
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
