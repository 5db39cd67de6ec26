package dev.ota.tuf.metadata;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathPatternTest {
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "firmware/*.bin, firmware/lock.bin, true",
            "firmware/*.bin, firmware/v2/lock.bin, false",
            "*, firmware/lock.bin, false",
            "*/*, firmware/lock.bin, true",
            "lock-?.bin, lock-7.bin, true",
            "lock-?.bin, lock-17.bin, false",
            "lock-?.bin, lock-/.bin, false",
            "a/*/c, a/b/c, true",
            "a/*/c, a/b/x/c, false",
            "*.tar.gz, image.tar.gz, true",
            "**, a/b, false",
            "exact/path.txt, exact/path.txt, true",
            "exact/path.txt, exact/path.txt2, false",
            "'', '', true",
    })
    void starAndQuestionMarkNeverMatchASlash(String pattern, String path, boolean expected) {
        assertEquals(expected, PathPattern.matches(pattern, path));
    }

    // Expected values are those of Python's fnmatch.fnmatchcase, which python-tuf applies per segment.
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "lock-[abc].bin, lock-b.bin, true",
            "lock-[abc].bin, lock-d.bin, false",
            "lock-[a-f0-9].bin, lock-7.bin, true",
            "lock-[a-f0-9].bin, lock-g.bin, false",
            "lock-[!a-f].bin, lock-g.bin, true",
            "lock-[!a-f].bin, lock-c.bin, false",
            "v[]]x, v]x, true",
            "v[!]]x, v]x, false",
            "v[!]]x, vax, true",
            "v[a-]x, v-x, true",
            "v[z-a]x, vmx, false",
            "v[^a]x, v^x, true",
            "v[^a]x, vbx, false",
            "lock-[ab, lock-[ab, true",
            "lock-[ab, lock-a, false",
            "*[0-9].bin, release-12.bin, true",
            "*[0-9].bin, release-1x.bin, false",
            "[!/]/b, a/b, false",
            "a[/]b, a/b, false",
    })
    void bracketExpressionsMatchOneCharacterOfTheirSetAsFnmatchDoes(String pattern, String path, boolean expected) {
        assertEquals(expected, PathPattern.matches(pattern, path));
    }

    @org.junit.jupiter.api.Test
    void hostilePatternDoesNotBlowUp() {
        String pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        String path = "a".repeat(5000);
        long start = System.nanoTime();

        assertEquals(false, PathPattern.matches(pattern, path));
        // generous: exponential backtracking would take minutes, not milliseconds
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }
}
