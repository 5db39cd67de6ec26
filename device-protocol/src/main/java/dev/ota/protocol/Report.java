package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.Set;

/**
 * One install journal entry a device reports in a check-in until the server acknowledges it. For FAILED,
 * ROLLED_BACK and REFUSED, {@code detail} starts with the class of the failure ({@code download:}, {@code verify:},
 * {@code install:}, {@code boot:}, {@code health:}, {@code timeout:}, {@code attack:}) and says why.
 */
public record Report(String actionId, long seq, State state, Instant at, String detail) {
    public enum State {
        ASSIGNED, DOWNLOADING, DOWNLOADED, WAITING_WINDOW, WAITING_DEVICE, INSTALLING, TRIAL, SUCCEEDED, FAILED,
        ROLLED_BACK, REFUSED;

        public boolean needsFailureClass() {
            return this == FAILED || this == ROLLED_BACK || this == REFUSED;
        }
    }

    public static final Set<String> FAILURE_CLASSES = Set.of("download", "verify", "install", "boot", "health", "timeout", "attack");

    public Report {
        Write.checkTime(at, "report.at");
        if (state.needsFailureClass() && !hasFailureClass(detail)) {
            throw new IllegalArgumentException("a " + state + " report's detail starts with one of " + FAILURE_CLASSES + " and ':'");
        }
    }

    private static boolean hasFailureClass(String detail) {
        int colon = detail.indexOf(':');
        return colon > 0 && FAILURE_CLASSES.contains(detail.substring(0, colon));
    }

    static Report read(Read r) {
        State state = r.constant("state", State.class, State::name);
        String detail = r.has("detail") ? r.string("detail") : "";
        if (state.needsFailureClass() && !hasFailureClass(detail)) {
            throw new MalformedDocumentException(r.at("detail"), "a " + state + " report's detail must start with one of "
                    + FAILURE_CLASSES.stream().sorted().toList() + " followed by ':'");
        }
        return new Report(r.text("actionId", 64), r.nonNegative("seq"), state, r.time("at"), detail);
    }

    JsonObject toJson() {
        return Write.object().put("actionId", actionId).put("seq", seq).put("state", state.name()).put("at", at)
                .put("detail", detail).json();
    }
}
