package dev.ota.tuf.metadata;

/**
 * Delegation path patterns as TUF 1.0.x defines them: {@code *} matches any run of characters and {@code ?}
 * one character, neither of them ever matching {@code /}; every other character matches itself. A pattern
 * matches only paths with the same number of segments, as python-tuf does.
 */
final class PathPattern {
    private PathPattern() {
    }

    static boolean matches(String pattern, String path) {
        String[] ps = pattern.split("/", -1);
        String[] ts = path.split("/", -1);
        if (ps.length != ts.length) return false;
        for (int i = 0; i < ps.length; i++) {
            if (!segment(ps[i], 0, ts[i], 0)) return false;
        }
        return true;
    }

    /** Iterative glob match with backtracking over the last star: linear-ish, no recursion blow-up on hostile patterns. */
    private static boolean segment(String p, int pi, String s, int si) {
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') pi++;
        return pi == p.length();
    }
}
