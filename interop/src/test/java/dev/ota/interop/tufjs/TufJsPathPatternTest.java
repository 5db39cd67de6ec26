package dev.ota.interop.tufjs;

import dev.ota.interop.NodeScript;
import dev.ota.tuf.metadata.DelegatedRole;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Delegation path patterns: tuf-core follows python-tuf ({@code fnmatch} per segment), tuf-js matches with
 * {@code minimatch}. Both agree on {@code *}, {@code ?}, {@code [seq]}, ranges and {@code [!seq]}; gap 5 of
 * interop/KNOWN-GAPS.md pins where they part: {@code [^seq]} (a literal caret for fnmatch, a negation for
 * minimatch) and {@code {a,b}} (literal braces for fnmatch, alternatives for minimatch).
 */
class TufJsPathPatternTest {
    private static final NodeScript DELEGATED_PATH = new NodeScript("delegated-path.js", Duration.ofSeconds(30));

    private static final List<List<String>> AGREED = List.of(
            List.of("firmware/*.bin", "firmware/lock.bin"),
            List.of("firmware/*.bin", "firmware/v2/lock.bin"),
            List.of("*", "firmware/lock.bin"),
            List.of("lock-?.bin", "lock-7.bin"),
            List.of("lock-?.bin", "lock-17.bin"),
            List.of("lock-[abc].bin", "lock-b.bin"),
            List.of("lock-[abc].bin", "lock-d.bin"),
            List.of("lock-[a-f0-9].bin", "lock-7.bin"),
            List.of("lock-[a-f0-9].bin", "lock-g.bin"),
            List.of("lock-[!a-f].bin", "lock-g.bin"),
            List.of("lock-[!a-f].bin", "lock-c.bin"),
            List.of("v[a-]x", "v-x"),
            List.of("*[0-9].bin", "release-12.bin"),
            List.of("*[0-9].bin", "release-1x.bin"));

    @Test
    void bothClientsDelegateTheSamePathsForStarQuestionMarkAndBracketSets() {
        List<Boolean> theirs = tufJs(AGREED);

        for (int i = 0; i < AGREED.size(); i++) {
            List<String> pair = AGREED.get(i);
            assertEquals(theirs.get(i), ours(pair), pair::toString);
        }
    }

    @Test
    void caretSetsAndBracesArePatternSyntaxOnlyForTufJs() {
        List<List<String>> parted = List.of(List.of("v[^a]x", "vbx"), List.of("{lock,meter}.bin", "lock.bin"));

        assertEquals(List.of(true, true), tufJs(parted));
        assertEquals(List.of(false, false), parted.stream().map(TufJsPathPatternTest::ours).toList());
        // and what each of them is to fnmatch: a set holding '^', and literal braces
        assertEquals(true, ours(List.of("v[^a]x", "v^x")));
        assertEquals(true, ours(List.of("{lock,meter}.bin", "{lock,meter}.bin")));
    }

    private static boolean ours(List<String> pair) {
        return new DelegatedRole("r", List.of(), 1, false, Optional.of(List.of(pair.get(0))), Optional.empty(), Map.of())
                .isDelegatedPath(pair.get(1));
    }

    private static List<Boolean> tufJs(List<List<String>> pairs) {
        StringBuilder json = new StringBuilder("[");
        for (List<String> pair : pairs) {
            if (json.length() > 1) json.append(',');
            json.append("[\"").append(pair.get(0)).append("\",\"").append(pair.get(1)).append("\"]");
        }
        String out = new String(DELEGATED_PATH.run(json.append(']').toString().getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        List<Boolean> answers = new ArrayList<>();
        for (String a : out.substring(1, out.length() - 1).split(",")) answers.add(Boolean.parseBoolean(a.strip()));
        return answers;
    }
}
