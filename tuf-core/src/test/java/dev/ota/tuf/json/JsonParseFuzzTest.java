package dev.ota.tuf.json;

import dev.ota.tuf.MalformedMetadataException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random byte mutations of a valid metadata document. Whatever the bytes, {@link Json#parse} must either
 * return a tree or throw {@link MalformedMetadataException}: any other exception would escape the
 * updater's error handling as a crash instead of a rejection.
 */
class JsonParseFuzzTest {
    private static final long SEED = 0x70f_2025L;
    private static final int CASES = 20_000;

    private static final String VALID = """
            {
              "signatures": [
                {"keyid": "4e777de0d275f9d28588dd9a1606cc748e548f9e22b6795b7cb3f63f98035fcb",
                 "sig": "a6d8a3e8e8f8e1fc0ae5d5bb3e0d4bf0f6b1c8e5f0a1b2c3d4e5f60718293a4b"}
              ],
              "signed": {
                "_type": "root",
                "consistent_snapshot": true,
                "expires": "2030-01-01T00:00:00Z",
                "keys": {
                  "4e777de0d275f9d28588dd9a1606cc748e548f9e22b6795b7cb3f63f98035fcb": {
                    "keytype": "ed25519",
                    "keyval": {"public": "72378e5bc588793e58f81c8533da64a2e8f1565c1fcc7f253496394ffc52542c"},
                    "scheme": "ed25519"
                  }
                },
                "roles": {
                  "root": {"keyids": ["4e777de0d275f9d28588dd9a1606cc748e548f9e22b6795b7cb3f63f98035fcb"], "threshold": 1},
                  "targets": {"keyids": [], "threshold": 1}
                },
                "spec_version": "1.0.31",
                "version": 18446744073709551617,
                "x-custom": {"note": "quote \\" backslash \\\\ tab \\t nul \\u0000 \\ud83d\\ude00 \u00e9\u6f22", "n": [-0, 0, -7, null, false]}
              }
            }
            """;

    /** Bytes that steer mutations toward parser edge cases: structure, escapes, number and UTF-8 boundaries. */
    private static final byte[] INTERESTING = {
            '{', '}', '[', ']', '"', '\\', ':', ',', '.', 'e', '-', '0', 'u', 'd', 'n', 't', 'f', ' ',
            0x00, 0x01, 0x1f, 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc3, (byte) 0xed,
            (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xfe, (byte) 0xff};

    private static final String[] TOKENS = {
            "1.5", "1e9", "\\ud800", "\\udc00", "\\u00", "\\", "\"", "{\"a\":1,\"a\":2}", "[[[[[[[[", "]]]]",
            "99999999999999999999999999999999999999", "NaN", "null", "\uFEFF", "\"signed\":", "/*", "\u2028"};

    @Test
    void randomMutationsOfValidMetadataParseOrFailWithMalformedMetadataException() {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        assertNotNull(Json.parse(valid, "valid"), "the seed document itself must parse");
        Random random = new Random(SEED);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = valid;
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, random);
            }
            try {
                JsonValue v = Json.parse(input, "case-" + i);
                assertNotNull(v);
                // Anything the parser accepts must have a canonical form, or a signature over it is undefined.
                CanonicalJson.encode(v);
                accepted++;
            } catch (MalformedMetadataException expected) {
                rejected++;
            } catch (Throwable other) {
                fail("case " + i + " (seed " + SEED + ") threw " + other + " for input "
                        + HexFormat.of().formatHex(input), other);
            }
        }
        // Guards against a mutator that only ever produces garbage (or never changes anything).
        assertTrue(accepted > CASES / 100, "accepted only " + accepted);
        assertTrue(rejected > CASES / 2, "rejected only " + rejected);
    }

    private static byte[] mutate(byte[] in, Random r) {
        if (in.length == 0) return new byte[] {INTERESTING[r.nextInt(INTERESTING.length)]};
        int pos = r.nextInt(in.length);
        switch (r.nextInt(8)) {
            case 0: { // flip one bit
                byte[] out = in.clone();
                out[pos] ^= (byte) (1 << r.nextInt(8));
                return out;
            }
            case 1: { // overwrite with an interesting byte
                byte[] out = in.clone();
                out[pos] = INTERESTING[r.nextInt(INTERESTING.length)];
                return out;
            }
            case 2: { // overwrite with a random byte
                byte[] out = in.clone();
                out[pos] = (byte) r.nextInt(256);
                return out;
            }
            case 3: // delete a run
                return splice(in, pos, Math.min(in.length, pos + 1 + r.nextInt(8)), new byte[0]);
            case 4: // insert an interesting byte
                return splice(in, pos, pos, new byte[] {INTERESTING[r.nextInt(INTERESTING.length)]});
            case 5: // insert a token
                return splice(in, pos, pos, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
            case 6: { // duplicate a run elsewhere
                int from = r.nextInt(in.length);
                int to = Math.min(in.length, from + 1 + r.nextInt(40));
                return splice(in, pos, pos, Arrays.copyOfRange(in, from, to));
            }
            default: // truncate
                return Arrays.copyOf(in, pos);
        }
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, from);
        out.writeBytes(insert);
        out.write(in, to, in.length - to);
        return out.toByteArray();
    }
}
