package dev.ota.rollouts;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** A rollout command refused on purpose: invalid definition, illegal transition, unknown rollout, lost race. */
public final class RolloutFailure extends OtaException {
    private static final long serialVersionUID = 1L;

    public RolloutFailure(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }
}
