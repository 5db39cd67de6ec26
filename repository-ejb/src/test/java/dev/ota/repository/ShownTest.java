package dev.ota.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShownTest {

    @Test
    void auditTextOfAnEmojiPathIsCutBetweenCharactersNeverInsideASurrogatePair() {
        for (int max = 10; max < 20; max++) {
            String s = Shown.forAudit("\ud83d\ude00".repeat(1023) + "\u0000", max);

            assertTrue(s.length() <= max, s);
            assertTrue(s.endsWith("..."), s);
            String kept = s.substring(0, s.length() - 3);
            assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)), "cut at " + max);
        }
    }

    @Test
    void auditTextEscapesNulBidiControlsAndLoneSurrogatesButKeepsOtherText() {
        assertEquals("a<U+0000>b<U+202E>c<U+D800>\u00e9\ud83d\ude00", Shown.forAudit("a\u0000b\u202ec\ud800\u00e9\ud83d\ude00", 100));
    }

    @Test
    void quotedTextShowsEveryNonAsciiCharacterByCodePointAndSaysHowLongItWas() {
        assertEquals("'a<U+200B>b'", Shown.text("a\u200bb"));
        assertEquals("'" + "x".repeat(Shown.MAX_QUOTED) + "... (500 characters)'", Shown.text("x".repeat(500)));
        String emoji = Shown.inline("\ud83d\ude00".repeat(1023));
        assertTrue(emoji.length() < Shown.MAX_QUOTED + 30 && emoji.endsWith("<U+1F600>... (1023 characters)"), emoji);
    }
}
