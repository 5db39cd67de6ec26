package dev.ota.repository;

/**
 * Request text as messages and audit entries show it. A refused value is hostile by assumption: it may be
 * thousands of characters, hold NUL (which PostgreSQL text cannot store, so the audit entry of the refusal
 * would be lost), invisible or bidirectional-control characters (which would rearrange what a person reads),
 * or an emoji that a cut in the middle would turn into a lone surrogate. So it is escaped and shortened here,
 * at code point boundaries, before it goes anywhere.
 */
public final class Shown {
    /** What a message quotes of a value at most (escapes included); enough to recognise it. */
    static final int MAX_QUOTED = 120;

    private Shown() {
    }

    /** {@code 'value'} with every character outside printable ASCII as {@code <U+XXXX>}, shortened to {@link #MAX_QUOTED}. */
    public static String text(String value) {
        return value == null ? "(none)" : "'" + inline(value) + "'";
    }

    /** The same without quotes, for names shown in parentheses: {@code entry 3 (firmware/<U+200B>x.bin)}. */
    public static String inline(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < value.length() && b.length() < MAX_QUOTED; shown++) {
            int c = value.codePointAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("<U+%04X>", c));
            }
            i += Character.charCount(c);
        }
        int total = value.codePointCount(0, value.length());
        return total > shown ? b.append("... (").append(total).append(" characters)").toString() : b.toString();
    }

    /** A character named so that a person can tell it even when it does not render: {@code U+200B (ZERO WIDTH SPACE)}. */
    public static String codePoint(int c) {
        String name = Character.getName(c);
        String hex = String.format("U+%04X", c);
        String shown = c > 0x20 && c < 0x7f ? "'" + (char) c + "' (" + hex + ")" : hex;
        return name == null ? shown : shown + " (" + name + ")";
    }

    /**
     * Free text for an audit entry or a message: control characters (C0, DEL, C1), format characters (zero
     * width, bidirectional controls) and lone surrogates escaped, everything else kept, at most {@code max}
     * characters without splitting a surrogate pair.
     */
    public static String forAudit(String value, int max) {
        String v = value == null ? "" : value;
        StringBuilder b = new StringBuilder(Math.min(v.length(), max + 8));
        for (int i = 0; i < v.length() && b.length() <= max; ) {
            int c = v.codePointAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE
                    || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("<U+%04X>", c));
            } else {
                b.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        if (b.length() <= max) {
            return b.toString();
        }
        int cut = max - 3;
        if (Character.isLowSurrogate(b.charAt(cut)) && Character.isHighSurrogate(b.charAt(cut - 1))) {
            cut--;
        }
        return b.substring(0, cut) + "...";
    }
}
