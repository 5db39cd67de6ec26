package dev.ota.rollout;

/**
 * A rollout definition a rule refuses, naming the field and what it must be. The service turns it into a 400
 * {@code rollout.invalid} (dev.ota.error) with this message; nothing is stored.
 */
public final class InvalidRollout extends IllegalArgumentException {
    private final String field;

    public InvalidRollout(String field, String expected) {
        super("rollout field " + field + " must be " + expected);
        this.field = field;
    }

    /** The field as the JSON names it, e.g. {@code errorBudget.errorPct} or {@code windows[1].rule}. */
    public String field() {
        return field;
    }

    static void check(boolean ok, String field, String expected) {
        if (!ok) {
            throw new InvalidRollout(field, expected);
        }
    }
}
