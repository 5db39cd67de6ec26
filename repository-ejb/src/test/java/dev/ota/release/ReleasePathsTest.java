package dev.ota.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.repository.RepositoryFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleasePathsTest {

    private static RepositoryFailure refused(String path) {
        RepositoryFailure f = assertThrows(RepositoryFailure.class, () -> ReleasePaths.requireValid(path));
        assertEquals("release.invalid-path", f.code());
        assertEquals(ErrorKind.INVALID_INPUT, f.kind());
        assertTrue(f.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), "shown escaped: " + f.getMessage());
        assertTrue(f.getMessage().length() < 600, f.getMessage());
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2e%2e/x.bin", "fw/<img src=x onerror=alert(1)>.bin", "fw/what?.bin", "fw/a#b.bin",
            "fw/100%.bin", "fw/a b.bin", "fw/a+b.bin", "fw\\x.bin", "fw/x.bin;rm", "fw/\u00e9.bin", "fw/\uff21.bin",
            "fw/\ud83d\ude00.bin", "fw/x\u0000.bin", "/abs.bin", "fw/", "fw//x.bin", "./x.bin", "fw/../x.bin", ""})
    void refusesEverythingButAsciiLettersDigitsDotUnderscoreHyphenInSlashSeparatedSegments(String path) {
        refused(path);
    }

    @Test
    void refusesAZeroWidthSpaceCopyOfAPathAndNamesTheInvisibleCharacter() {
        RepositoryFailure f = refused("firmware/gw/image\u200b-1.0.bin");

        assertTrue(f.getMessage().contains("U+200B (ZERO WIDTH SPACE) at position 17"), f.getMessage());
        assertTrue(f.getMessage().contains("'firmware/gw/image<U+200B>-1.0.bin'"), f.getMessage());
    }

    @Test
    void refusesARightToLeftOverrideThatWouldShowExeAsBin() {
        RepositoryFailure f = refused("firmware/\u202enib.exe");

        assertTrue(f.getMessage().contains("U+202E (RIGHT-TO-LEFT OVERRIDE)"), f.getMessage());
    }

    @Test
    void refusesAPathOf1023EmojiPlusNulWithAShortEscapedMessage() {
        RepositoryFailure f = refused("\ud83d\ude00".repeat(1023) + "\u0000");

        assertTrue(f.getMessage().contains("holds U+1F600 (GRINNING FACE) at position 0"), f.getMessage());
        assertTrue(f.getMessage().contains("(1024 characters)"), f.getMessage());
    }

    @Test
    void refusesAReleaseUnderConfigWhereTheDirectorListsDesiredConfigurations() {
        assertTrue(refused("config/lock-1.json").getMessage().contains("under 'config/'"));
        assertTrue(refused("Config/lock-1.json").getMessage().contains("under 'config/'"));
        assertEquals("firmware/config/lock.json", ReleasePaths.requireValid("firmware/config/lock.json"));
    }

    @Test
    void refusesAPathLongerThan512Characters() {
        assertTrue(refused("a/".repeat(256) + "b").getMessage().contains("has 513 characters"));
        assertEquals(512, ReleasePaths.requireValid("a/".repeat(255) + "bc").length());
    }

    @Test
    void acceptsOrdinaryPathsAndFoldsLetterCase() {
        for (String path : new String[] {"firmware/gw/image-1.0.bin", "A_b.C-d", ".hidden/x", "x...y/...z", "0"}) {
            assertEquals(path, ReleasePaths.requireValid(path));
        }
        assertEquals(ReleasePaths.folded("Firmware/GW/Image.BIN"), ReleasePaths.folded("firmware/gw/image.bin"));
    }

    @Test
    void aRollbackPathPutsTheNumberBeforeTheLastSegmentsExtension() {
        assertEquals("lock-fw/1.4.0-rb1.bin", ReleasePaths.rollbackPath("lock-fw/1.4.0.bin", 1));
        assertEquals("lock-fw/1.4.0.tar-rb12.gz", ReleasePaths.rollbackPath("lock-fw/1.4.0.tar.gz", 12));
        assertEquals("v1.2/image-rb2", ReleasePaths.rollbackPath("v1.2/image", 2));
        assertEquals(".hidden-rb1", ReleasePaths.rollbackPath(".hidden", 1));
    }
}
