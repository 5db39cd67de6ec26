package dev.ota.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

    @Test
    void writesCodeThenMessageAsTheWireHasAlwaysCarriedThem() {
        ErrorBody body = ErrorBody.of(ErrorKind.NOT_FOUND, "repository.not-found", "nothing is published as /targets/x");

        assertEquals(404, body.status());
        assertEquals("{\"code\":\"repository.not-found\",\"message\":\"nothing is published as /targets/x\"}", body.json());
    }

    @Test
    void extraFieldsFollowCodeAndMessageInOrder() {
        ErrorBody body = ErrorBody.of(ErrorKind.FORBIDDEN, "transport.https-required", "use https://h/x")
                .with("httpsUrl", "https://h/x");

        assertEquals("{\"code\":\"transport.https-required\",\"message\":\"use https://h/x\",\"httpsUrl\":\"https://h/x\"}",
                body.json());
    }

    @Test
    void quotesAndControlCharactersInAMessageStayInsideTheString() {
        ErrorBody body = ErrorBody.of(ErrorKind.INVALID_INPUT, "release.path", "bad \"path\"\n<img>");

        assertEquals("{\"code\":\"release.path\",\"message\":\"bad \\\"path\\\"\\n<img>\"}", body.json());
    }

    @Test
    void unavailableFailuresShowTheCodeNotTheServersFileNames() {
        OtaException e = new OtaException("keys.unreadable", ErrorKind.UNAVAILABLE, "/srv/ota/data/keys/online-keys.p12: bad");

        ErrorBody body = ErrorBody.of(e);

        assertEquals(503, body.status());
        assertEquals("keys.unreadable", body.code());
        assertEquals(e.clientMessage(), body.message());
    }

    @Test
    void everyKindHasItsOwnStatus() {
        Map<Integer, Long> perStatus = Arrays.stream(ErrorKind.values())
                .collect(Collectors.groupingBy(ErrorKind::status, Collectors.counting()));

        assertEquals(ErrorKind.values().length, perStatus.size(), "two kinds share a status: " + perStatus);
        for (ErrorKind kind : ErrorKind.values()) {
            assertEquals(kind, ErrorKind.ofStatus(kind.status()));
        }
    }

    @Test
    void containerStatusesGetStableCodes() {
        assertEquals("http.not-found", ErrorBody.forStatus(404, "Not Found").code());
        assertEquals("http.method-not-allowed", ErrorBody.forStatus(405, "Method Not Allowed").code());
        assertEquals("http.406", ErrorBody.forStatus(406, "Not Acceptable").code());
        assertEquals(406, ErrorBody.forStatus(406, "Not Acceptable").status());
    }
}
