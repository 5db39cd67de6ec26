package dev.ota.ceremony;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/**
 * A ceremony step refused on purpose, with a stable code: {@code ceremony.invalid} (400, the proposal names the
 * field), {@code ceremony.role-unreachable} (400), {@code ceremony.not-found} (404), {@code ceremony.unknown-key}
 * (400, a key the ceremony's role does not authorise), {@code ceremony.not-holder} (403), {@code ceremony.bad-signature} (400,
 * not a signature over the proposal's bytes), {@code ceremony.already-signed} (409), {@code ceremony.expired},
 * {@code ceremony.superseded}, {@code ceremony.published}, {@code ceremony.threshold-not-met} (409); for top-level
 * targets also {@code ceremony.targets-online} (409, the server signs targets itself: nothing to sign offline) and
 * {@code ceremony.with-root} (409, the proposal is published with the root proposal that hands targets to officers).
 */
public final class CeremonyFailure extends OtaException {
    private static final long serialVersionUID = 1L;

    public CeremonyFailure(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }
}
