package dev.ota.audit;

/**
 * The result of walking the hash chain: intact after {@code checked} entries, or broken at entry
 * {@code brokenSeq}, where {@code problem} says which stored value disagreed, with what was expected
 * and what was found.
 */
public record ChainVerification(boolean intact, long checked, Long brokenSeq, String problem, String expected,
                                String found) {

    static ChainVerification intact(long checked) {
        return new ChainVerification(true, checked, null, null, null, null);
    }

    static ChainVerification broken(long checked, long seq, String problem, String expected, String found) {
        return new ChainVerification(false, checked, seq, problem, expected, found);
    }

    /** One line for a page or an audit entry's detail. */
    public String summary() {
        return intact ? "intact: " + checked + " entries checked"
                : "broken at entry " + brokenSeq + ": " + problem + " (expected " + expected + ", found " + found + ")";
    }
}
