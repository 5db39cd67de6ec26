package dev.ota.portal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import org.junit.jupiter.api.Test;

class QueryNumbersTest {
    @Test
    void aWholeNumberInRangeIsReturned() {
        assertEquals(250, QueryNumbers.parse("limit", "250", 1, 1000));
        assertEquals(0, QueryNumbers.parse("offset", " 0 ", 0, Integer.MAX_VALUE));
    }

    @Test
    void aNonNumberIsAnInvalidInputNamingTheParameter() {
        OtaException e = assertThrows(OtaException.class, () -> QueryNumbers.parse("limit", "ten", 1, 1000));

        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertEquals("request.invalid-parameter", e.code());
        assertTrue(e.getMessage().contains("'limit'") && e.getMessage().contains("1 to 1000"), e.getMessage());
    }

    @Test
    void outOfRangeAndOverflowingValuesAreInvalidInput() {
        assertThrows(OtaException.class, () -> QueryNumbers.parse("limit", "0", 1, 1000));
        assertThrows(OtaException.class, () -> QueryNumbers.parse("limit", "1001", 1, 1000));
        assertThrows(OtaException.class, () -> QueryNumbers.parse("offset", "-1", 0, Integer.MAX_VALUE));
        assertThrows(OtaException.class, () -> QueryNumbers.parse("offset", "99999999999", 0, Integer.MAX_VALUE));
    }
}
