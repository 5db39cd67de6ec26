package dev.ota.rollout;

/**
 * A command the rollout's current state does not allow (fleet.md's state diagram), e.g. resume of a running
 * rollout or approval by the creator. The service answers 409 with {@link #code()} and changes nothing.
 */
public final class IllegalTransition extends RuntimeException {
    private final String code;

    IllegalTransition(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A stable code, e.g. {@code rollout.state-conflict} or {@code rollout.approval-own}. */
    public String code() {
        return code;
    }
}
