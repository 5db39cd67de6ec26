package dev.ota.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetFileNameTest {
    private static final String HASH = "0123456789abcdef".repeat(4);

    @Test
    void splitsTheHashPrefixOffTheLastPathSegment() {
        assertEquals(new TargetFileName("firmware/gw/image.bin", HASH),
                TargetFileName.parse("firmware/gw/" + HASH + ".image.bin").orElseThrow());
        assertEquals(new TargetFileName("image.bin", HASH), TargetFileName.parse(HASH + ".image.bin").orElseThrow());
    }

    @Test
    void rejectsNamesWithoutAFullLowercaseSha256Prefix() {
        for (String name : new String[] {"image.bin", "firmware/image.bin", HASH + ".", HASH.toUpperCase() + ".x",
                HASH.substring(1) + ".image.bin", HASH + "image.bin", ""}) {
            assertTrue(TargetFileName.parse(name).isEmpty(), name);
        }
    }
}
