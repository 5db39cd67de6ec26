package dev.ota.tuf.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.ota.tuf.MalformedMetadataException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON parsing into {@link JsonValue}: one document, UTF-8, no duplicate object keys (two parsers
 * could otherwise disagree on what was signed), no floats, bounded nesting. Every failure is a
 * {@link MalformedMetadataException}.
 */
public final class Json {
    /** Deeper than any TUF document; bounds recursion so hostile input cannot exhaust the stack. */
    public static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(100)
                    .build())
            .build();

    private Json() {
    }

    /**
     * Parses {@code bytes} as one JSON document.
     *
     * @param where names the document in error messages, e.g. {@code "3.snapshot.json"}
     * @throws MalformedMetadataException for anything but a single well-formed, float-free, duplicate-free document
     */
    public static JsonValue parse(byte[] bytes, String where) {
        CharBuffer text = decodeUtf8(bytes, where);
        try (JsonParser p = FACTORY.createParser(text.array(), 0, text.limit())) {
            JsonToken first = p.nextToken();
            if (first == null) throw new MalformedMetadataException(where, "empty document");
            JsonValue v = read(p, first, where);
            if (p.nextToken() != null) throw new MalformedMetadataException(where, "trailing data after the JSON document");
            return v;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new MalformedMetadataException(where, "JSON exceeds limits: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            throw new MalformedMetadataException(where, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedMetadataException(where, "unreadable JSON: " + e.getMessage());
        }
    }

    /**
     * Jackson's byte parser accepts overlong and CESU-8 sequences and guesses UTF-16/32 from the first
     * bytes, so bytes that other clients decode differently (or reject) would parse here. Decoding with
     * Java's strict decoder first leaves exactly one reading of the bytes.
     */
    private static CharBuffer decodeUtf8(byte[] bytes, String where) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never yields more UTF-16 units than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            throw new MalformedMetadataException(where, "not valid UTF-8: bad byte sequence at byte offset " + in.position());
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == '\uFEFF') {
            // python-tuf and tuf-js both refuse a byte order mark; accepting it would make us the odd one out.
            throw new MalformedMetadataException(where, "starts with a byte order mark, which JSON metadata must not have");
        }
        return out;
    }

    /** A lone surrogate has no UTF-8 form, so its canonical bytes (and any signature over them) would be ambiguous. */
    private static String checkUnicode(String s, String where) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedMetadataException(where, "string holds a lone UTF-16 surrogate \\u"
                        + Integer.toHexString(c) + ", which is not Unicode text");
            }
        }
        return s;
    }

    private static JsonValue read(JsonParser p, JsonToken t, String where) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, JsonValue> m = new LinkedHashMap<>();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = checkUnicode(p.currentName(), where);
                    m.put(name, read(p, p.nextToken(), where));
                }
                if (n != JsonToken.END_OBJECT) throw new MalformedMetadataException(where, "unterminated object");
                return new JsonValue.JsonObject(m);
            }
            case START_ARRAY: {
                List<JsonValue> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (n == null) throw new MalformedMetadataException(where, "unterminated array");
                    l.add(read(p, n, where));
                }
                return new JsonValue.JsonArray(l);
            }
            case VALUE_STRING:
                return new JsonValue.JsonString(checkUnicode(p.getText(), where));
            case VALUE_NUMBER_INT:
                return new JsonValue.JsonNumber(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                throw new MalformedMetadataException(where, "floating-point number " + p.getText()
                        + (p.currentName() != null ? " in field " + p.currentName() : "")
                        + " at " + p.currentLocation().getCharOffset() + ": only integers are allowed (TUF metadata has no floats)");
            case VALUE_TRUE:
                return new JsonValue.JsonBoolean(true);
            case VALUE_FALSE:
                return new JsonValue.JsonBoolean(false);
            case VALUE_NULL:
                return JsonValue.JsonNull.INSTANCE;
            default:
                throw new MalformedMetadataException(where, "unexpected JSON token " + t);
        }
    }
}
