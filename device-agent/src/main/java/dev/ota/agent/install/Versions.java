package dev.ota.agent.install;

/**
 * Orders release versions such as {@code 1.10.0} and {@code 1.9.2}: dot- or dash-separated parts, numeric
 * parts compared as numbers, other parts as text, a missing part counting as lower.
 */
public final class Versions {
    private Versions() {
    }

    public static int compare(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            if (i >= x.length) return -1;
            if (i >= y.length) return 1;
            int c = comparePart(x[i], y[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    private static int comparePart(String p, String q) {
        boolean pn = p.matches("\\d+");
        boolean qn = q.matches("\\d+");
        if (pn && qn) return new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q));
        if (pn != qn) return pn ? 1 : -1;
        return p.compareTo(q);
    }
}
