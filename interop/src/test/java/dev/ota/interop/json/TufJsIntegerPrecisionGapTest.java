package dev.ota.interop.json;

import dev.ota.interop.NodeScript;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Second gap of interop/KNOWN-GAPS.md: JavaScript reads JSON integers as doubles, so tuf-js re-encodes an
 * integer beyond 2^53 - 1 as a different number (and its signature over it fails), while tuf-core keeps
 * every integer exact, as python-tuf does. Within the safe range both agree (CanonicalJsonInteropTest).
 */
class TufJsIntegerPrecisionGapTest {
    private static final NodeScript CANONICALIZE = new NodeScript("canonicalize.js", Duration.ofSeconds(30));

    @Test
    void tufJsRoundsIntegersBeyondTwoToThe53WhereWeKeepThemExact() {
        String json = "[[9007199254740991],[9007199254740993],[18446744073709551617]]";
        List<byte[]> theirs = CanonicalJsonInteropTest.decodeLines(CANONICALIZE.run(json.getBytes(StandardCharsets.UTF_8)));

        assertEquals("[9007199254740991]", new String(theirs.get(0), StandardCharsets.UTF_8), "largest safe integer is exact");
        assertEquals("[9007199254740992]", new String(theirs.get(1), StandardCharsets.UTF_8));
        assertEquals("[18446744073709552000]", new String(theirs.get(2), StandardCharsets.UTF_8));

        assertEquals("[[9007199254740991],[9007199254740993],[18446744073709551617]]",
                CanonicalJson.encodeToString(Json.parse(json.getBytes(StandardCharsets.UTF_8), "integers")));
    }
}
