package dev.ota.protocol;

/**
 * A device protocol document that is not as device-api.md describes it: not JSON, a missing field, a wrong type,
 * a value out of range. {@code field} names the field as a path, e.g. {@code checkin.ecus.lock-0042.installed.length}.
 */
public final class MalformedDocumentException extends RuntimeException {
    private final String field;
    private final String problem;

    public MalformedDocumentException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
