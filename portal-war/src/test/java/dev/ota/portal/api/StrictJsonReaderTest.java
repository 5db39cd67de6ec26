package dev.ota.portal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrictJsonReaderTest {

    private static <T extends Record> T read(Class<T> type, String json) {
        return StrictJsonReader.read(type, json.getBytes(StandardCharsets.UTF_8));
    }

    private static OtaException refused(Class<? extends Record> type, String json) {
        OtaException e = assertThrows(OtaException.class, () -> read(type, json));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertEquals("request.malformed", e.code());
        return e;
    }

    @Test
    void readsAWellFormedTokenRequest() {
        AccountResource.TokenRequest r = read(AccountResource.TokenRequest.class, "{\"label\":\"ci\",\"validityDays\":5}");

        assertEquals("ci", r.label());
        assertEquals(5, r.validityDays());
    }

    @Test
    void absentOptionalFieldIsNull() {
        assertNull(read(AccountResource.TokenRequest.class, "{\"label\":\"ci\"}").validityDays());
    }

    @Test
    void validityDaysAsAStringIsRefusedNamingTheField() {
        OtaException e = refused(AccountResource.TokenRequest.class, "{\"label\":\"ci\",\"validityDays\":\"5\"}");

        assertTrue(e.getMessage().contains("validityDays"), e.getMessage());
    }

    @Test
    void validityDaysAsAFractionIsRefusedNamingTheField() {
        OtaException e = refused(AccountResource.TokenRequest.class, "{\"label\":\"ci\",\"validityDays\":1.5}");

        assertTrue(e.getMessage().contains("validityDays"), e.getMessage());
    }

    @Test
    void validityDaysBeyondAnIntIsRefusedNotWrapped() {
        OtaException e = refused(AccountResource.TokenRequest.class, "{\"validityDays\":4294967301}");

        assertTrue(e.getMessage().contains("validityDays"), e.getMessage());
    }

    @Test
    void trailingGarbageAfterTheObjectIsRefused() {
        refused(AccountResource.TokenRequest.class, "{\"label\":\"ci\",\"validityDays\":5} garbage");
        refused(AccountResource.TokenRequest.class, "{\"label\":\"ci\"}{\"label\":\"other\"}");
    }

    @Test
    void duplicateKeysAreRefused() {
        refused(AccountResource.TokenRequest.class, "{\"label\":\"ci\",\"label\":\"other\"}");
    }

    @Test
    void unknownFieldIsRefusedNamingIt() {
        OtaException e = refused(AccountResource.TokenRequest.class, "{\"label\":\"ci\",\"validitydays\":5}");

        assertTrue(e.getMessage().contains("validitydays"), e.getMessage());
    }

    @Test
    void labelAsANumberIsRefusedNamingTheField() {
        OtaException e = refused(AccountResource.TokenRequest.class, "{\"label\":5}");

        assertTrue(e.getMessage().contains("label"), e.getMessage());
    }

    @Test
    void rolesAsAStringOrWithANullAreRefusedNamingTheField() {
        OtaException string = refused(AccountResource.NewAccount.class, "{\"username\":\"u\",\"roles\":\"auditor\"}");
        OtaException withNull = refused(AccountResource.NewAccount.class, "{\"username\":\"u\",\"roles\":[null]}");

        assertTrue(string.getMessage().contains("roles"), string.getMessage());
        assertTrue(withNull.getMessage().contains("roles[0]"), withNull.getMessage());
    }

    @Test
    void readsRolesAsASet() {
        AccountResource.NewAccount a = read(AccountResource.NewAccount.class, "{\"username\":\"u\",\"roles\":[\"auditor\"]}");

        assertEquals(Set.of("auditor"), a.roles());
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        refused(AccountResource.PasswordChange.class, "[\"a\",\"b\"]");
        refused(AccountResource.PasswordChange.class, "");
    }

    @Test
    void readsAttributesAsAStringMapAndRefusesANonStringValueNamingIt() {
        InventoryResource.AttributesChange ok = read(InventoryResource.AttributesChange.class,
                "{\"attributes\": {\"timeZone\": \"UTC\"}}");
        OtaException e = refused(InventoryResource.AttributesChange.class, "{\"attributes\": {\"floor\": 3}}");

        assertEquals(java.util.Map.of("timeZone", "UTC"), ok.attributes());
        assertTrue(e.getMessage().contains("attributes.floor"), e.getMessage());
    }

    @Test
    void passesANestedFilterOnAsAnObjectAndRefusesAnythingElse() {
        SavedFilterResource.NewFilter ok = read(SavedFilterResource.NewFilter.class,
                "{\"name\": \"eu\", \"filter\": {\"tags\": [\"eu\"]}}");
        OtaException e = refused(SavedFilterResource.NewFilter.class, "{\"name\": \"eu\", \"filter\": [\"eu\"]}");

        assertTrue(ok.filter().has("tags"));
        assertTrue(e.getMessage().contains("filter"), e.getMessage());
    }
}
