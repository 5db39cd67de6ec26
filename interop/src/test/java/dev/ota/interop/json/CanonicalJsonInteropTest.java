package dev.ota.interop.json;

import dev.ota.interop.NodeScript;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * tuf-core's canonical JSON must be byte-identical to the encoder tuf-js signs and verifies with, or one
 * side's signatures fail on the other. All documents go to one Node process so the test stays fast.
 */
class CanonicalJsonInteropTest {
    private static final long SEED = 20_251_125L;
    private static final int DOCUMENTS = 5_000;
    private static final NodeScript CANONICALIZE = new NodeScript("canonicalize.js", Duration.ofMinutes(2));

    @Test
    void encodesGeneratedDocumentsByteForByteLikeTufJsCanonicalJson() {
        RandomJson generator = new RandomJson(SEED, true);
        Random spelling = new Random(SEED + 1);
        List<JsonValue> documents = new ArrayList<>(DOCUMENTS);
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < DOCUMENTS; i++) {
            JsonValue document = generator.document();
            String text = JsonText.write(document, spelling);
            // Both sides start from the same tree: our parser reads the transport text back unchanged.
            assertEquals(document, Json.parse(text.getBytes(StandardCharsets.UTF_8), "document " + i));
            documents.add(document);
            batch.append(i == 0 ? "" : ",").append(text);
        }
        batch.append(']');

        List<byte[]> theirs = decodeLines(CANONICALIZE.run(batch.toString().getBytes(StandardCharsets.UTF_8)));

        assertEquals(DOCUMENTS, theirs.size());
        for (int i = 0; i < DOCUMENTS; i++) {
            byte[] ours = CanonicalJson.encode(documents.get(i));
            if (!Arrays.equals(ours, theirs.get(i))) {
                fail("document " + i + " (seed " + SEED + ") encodes differently\n  tuf-core: "
                        + visible(ours) + "\n  tuf-js:   " + visible(theirs.get(i)));
            }
        }
        // The generator must really have produced the hard cases, in keys as well as values.
        assertTrue(generator.keysWithNonBmp() > 1000, "keys with non-BMP characters: " + generator.keysWithNonBmp());
        assertTrue(generator.keysWithE000ToFfff() > 1000, "keys with U+E000..U+FFFF: " + generator.keysWithE000ToFfff());
    }

    static List<byte[]> decodeLines(byte[] stdout) {
        List<byte[]> lines = new ArrayList<>();
        for (String line : new String(stdout, StandardCharsets.US_ASCII).split("\n")) {
            if (!line.isEmpty()) lines.add(Base64.getDecoder().decode(line));
        }
        return lines;
    }

    /** Shows control characters and non-ASCII as escapes so a failure message is readable. */
    static String visible(byte[] utf8) {
        StringBuilder sb = new StringBuilder();
        new String(utf8, StandardCharsets.UTF_8).codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) sb.append((char) c);
            else sb.append(String.format("<U+%04X>", c));
        });
        return sb.toString();
    }
}
