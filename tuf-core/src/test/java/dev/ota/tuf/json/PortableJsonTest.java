package dev.ota.tuf.json;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortableJsonTest {
    private static final String FULLWIDTH_A = "\uff21";          // U+FF21
    private static final String GRINNING = "\ud83d\ude00";       // U+1F600, UTF-16 units D83D DE00

    private static Optional<PortableJson.Problem> check(String json) {
        return PortableJson.firstProblem(Json.parse(json.getBytes(StandardCharsets.UTF_8), "custom"));
    }

    @Test
    void refusesAThirtyDigitIntegerAndNamesWhereItIs() {
        PortableJson.Problem p = check("{\"build\":{\"ids\":[1,123456789012345678901234567890]}}").orElseThrow();

        assertEquals("/build/ids/1", p.pointer());
        assertTrue(p.reason().contains("123456789012345678901234567890"), p.reason());
    }

    @Test
    void acceptsIntegersUpToTwoToTheFiftyThreeMinusOneEitherSignAndRefusesOneMore() {
        assertEquals(Optional.empty(), check("{\"max\":9007199254740991,\"min\":-9007199254740991,\"zero\":0}"));
        assertEquals("/n", check("{\"n\":9007199254740992}").orElseThrow().pointer());
        assertEquals("/n", check("{\"n\":-9007199254740992}").orElseThrow().pointer());
        assertTrue(PortableJson.isSafeInteger(BigInteger.valueOf(9007199254740991L)));
    }

    @Test
    void refusesSiblingKeysOfTheNonBmpAndE000ToFfffPairWhoseCanonicalOrderDiffersInTufJs() {
        PortableJson.Problem p = check("{\"x\":{\"" + FULLWIDTH_A + ".bin\":1,\"" + GRINNING + ".bin\":2}}")
                .orElseThrow();

        assertEquals("/x", p.pointer());
        assertTrue(p.reason().contains("U+FF21") && p.reason().contains("U+1F600"), p.reason());
        assertEquals(Optional.of(List.of(FULLWIDTH_A, GRINNING)),
                PortableJson.divergentKeyPair(List.of(GRINNING, "a", FULLWIDTH_A)));
    }

    @Test
    void acceptsNonAsciiKeysThatSortAlikeInBothOrders() {
        // U+00E9, U+1F600 and U+4E2D all sort the same by code point and by UTF-16 unit.
        assertEquals(Optional.empty(), check("{\"\u00e9\":1,\"" + GRINNING + "\":2,\"\u4e2d\":3,\"a\":[true,null,\"s\"]}"));
        // The same two characters in different siblings' positions: only the first difference counts.
        assertEquals(Optional.empty(), check("{\"a" + FULLWIDTH_A + "\":1,\"b" + GRINNING + "\":2}"));
    }

    @Test
    void pointerEscapesSlashAndTildeInKeys() {
        assertEquals("/a~1b~0c", check("{\"a/b~c\":12345678901234567890}").orElseThrow().pointer());
    }
}
