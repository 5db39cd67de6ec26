package dev.ota.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error response every part of the server writes: a status from {@link ErrorKind#status()}
 * and the JSON body {@code {"code", "message"}} (plus, rarely, named string fields a client acts on,
 * such as {@code httpsUrl}). Both WARs' exception mappers, the file servlet and the portal's filters
 * and authentication send exactly {@link #json()} with {@link #CONTENT_TYPE}, so the wire shape is
 * decided here once. Messages are for a person and never carry a secret or a stack trace.
 *
 * @param status the HTTP status (usually the kind's; a status JAX-RS chose is kept as it is)
 * @param code a stable code clients branch on, for example {@code repository.not-found}
 * @param message a sentence a person understands
 * @param extra further string fields after code and message, in order
 */
public record ErrorBody(int status, String code, String message, Map<String, String> extra) {
    /** The media type of every error body (UTF-8, as JSON is). */
    public static final String CONTENT_TYPE = "application/json;charset=UTF-8";

    public ErrorBody {
        if (code == null || message == null) {
            throw new IllegalArgumentException("an error body needs a code and a message");
        }
        extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static ErrorBody of(ErrorKind kind, String code, String message) {
        return new ErrorBody(kind.status(), code, message, Map.of());
    }

    /** A domain failure as a client may see it ({@link OtaException#clientMessage()}). */
    public static ErrorBody of(OtaException e) {
        return of(e.kind(), e.code(), e.clientMessage());
    }

    /**
     * A refusal the container or JAX-RS decided before any of our code ran (no such resource, a method
     * the address does not answer, an unreadable request line): the status as it is, a code from it;
     * a server failure (5xx) as {@link #internal()}, whose details only the log has.
     */
    public static ErrorBody forStatus(int status, String reasonPhrase) {
        if (status >= 500) {
            return internal();
        }
        return switch (status) {
            case 400 -> new ErrorBody(400, "http.bad-request",
                    "the request could not be read: its address, headers or body are malformed", Map.of());
            case 404 -> new ErrorBody(404, "http.not-found", "no such resource", Map.of());
            case 405 -> new ErrorBody(405, "http.method-not-allowed", "this address does not answer that method", Map.of());
            case 415 -> new ErrorBody(415, "http.unsupported-media-type",
                    "this address does not read a body of that Content-Type", Map.of());
            default -> new ErrorBody(status, "http." + status,
                    reasonPhrase == null || reasonPhrase.isBlank() ? "the request was refused" : reasonPhrase, Map.of());
        };
    }

    /** A failure nobody expected: the details go to the server log, never to the client. */
    public static ErrorBody internal() {
        return of(ErrorKind.INTERNAL, "internal", "internal server error; the server log has the details");
    }

    /** This body with one more string field. */
    public ErrorBody with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(extra);
        more.put(name, value);
        return new ErrorBody(status, code, message, more);
    }

    /**
     * The body as it goes on the wire: one line of JSON, written here rather than through JSON-P so
     * that no provider lookup is needed (the same bytes in a unit test as in the server). Escapes
     * what RFC 8259 requires and nothing else, as JSON-P's generator did before.
     */
    public String json() {
        StringBuilder out = new StringBuilder(64 + message.length());
        out.append('{');
        field(out, "code", code);
        out.append(',');
        field(out, "message", message);
        extra.forEach((name, value) -> field(out.append(','), name, value));
        return out.append('}').toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return string(string(out, name).append(':'), value);
    }

    private static StringBuilder string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
