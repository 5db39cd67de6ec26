package dev.ota.tuf.metadata;

/**
 * Delegation path patterns as TUF 1.0.x defines them, the Unix shell convention python-tuf implements
 * with {@code fnmatch} per path segment: {@code *} matches any run of characters, {@code ?} one character,
 * {@code [seq]} one character of the set (ranges such as {@code a-f} allowed) and {@code [!seq]} one
 * character outside it; none of them ever matches {@code /}, because a pattern matches only paths with the
 * same number of segments. A {@code [} without a closing {@code ]} matches itself, as in {@code fnmatch};
 * every other character matches itself.
 */
final class PathPattern {
    private PathPattern() {
    }

    static boolean matches(String pattern, String path) {
        String[] ps = pattern.split("/", -1);
        String[] ts = path.split("/", -1);
        if (ps.length != ts.length) return false;
        for (int i = 0; i < ps.length; i++) {
            if (!segment(ps[i], ts[i])) return false;
        }
        return true;
    }

    /** Iterative glob match with backtracking over the last star: linear-ish, no recursion blow-up on hostile patterns. */
    private static boolean segment(String p, String s) {
        int pi = 0;
        int si = 0;
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            int width = pi < p.length() && p.charAt(pi) != '*' ? single(p, pi, s.charAt(si)) : -1;
            if (width > 0) {
                pi += width;
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

    /**
     * How many pattern characters the token at {@code pi} spans if it matches {@code c}; -1 if it does not
     * match. The token is {@code ?}, a bracket expression, or one literal character.
     */
    private static int single(String p, int pi, char c) {
        char t = p.charAt(pi);
        if (t == '?') return 1;
        if (t == '[') {
            int end = classEnd(p, pi);
            if (end > 0) return inClass(p, pi, end, c) ? end - pi + 1 : -1;
        }
        return t == c ? 1 : -1;
    }

    /** Index of the {@code ]} closing the bracket expression at {@code open}, or -1 if there is none. */
    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '!') i++;
        // a ']' first in the set is a member, not the end (fnmatch, POSIX)
        if (i < p.length() && p.charAt(i) == ']') i++;
        int close = p.indexOf(']', i);
        return close;
    }

    private static boolean inClass(String p, int open, int close, char c) {
        int i = open + 1;
        boolean negated = p.charAt(i) == '!';
        if (negated) i++;
        boolean member = false;
        while (i < close) {
            char lo = p.charAt(i);
            if (i + 2 < close && p.charAt(i + 1) == '-') {
                char hi = p.charAt(i + 2);
                if (lo <= c && c <= hi) member = true;
                i += 3;
            } else {
                if (lo == c) member = true;
                i++;
            }
        }
        return member != negated;
    }
}
