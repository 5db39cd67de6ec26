package dev.ota.tuf;

/** Bytes whose length or hash differ from what a trusted parent lists. {@code subject} is a role or target path. */
public final class LengthOrHashMismatchException extends RepositoryException {
    private final String subject;
    private final String what;
    private final String expected;
    private final String actual;

    public LengthOrHashMismatchException(String subject, String what, String expected, String actual) {
        super(subject + ": " + what + " mismatch, expected " + expected + " but got " + actual);
        this.subject = subject;
        this.what = what;
        this.expected = expected;
        this.actual = actual;
    }

    public String subject() { return subject; }
    /** "length" or the hash algorithm name. */
    public String what() { return what; }
    public String expected() { return expected; }
    public String actual() { return actual; }
}
