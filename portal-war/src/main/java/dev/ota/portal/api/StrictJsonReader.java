package dev.ota.portal.api;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads every JSON body of the management API (the request records of this package) as strictly as
 * tuf-core reads metadata: one UTF-8 document and nothing after it, no duplicate keys, no floats; then
 * each field must have its component's type exactly ({@code "validityDays": "5"} is not a number) and
 * unknown fields are refused, since a misspelt field silently ignored is a setting silently lost.
 * Every refusal is a 400 {@code request.malformed} whose message names the field. A lenient reader
 * (JSON-B's default) would turn "5" into 5 and 1.5 into 1, and ignore trailing bytes.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class StrictJsonReader implements MessageBodyReader<Record> {
    /** Far above any request record; a larger body is refused before it is parsed. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final String CODE = "request.malformed";

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord() && type.getPackageName().equals(StrictJsonReader.class.getPackageName());
    }

    @Override
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new OtaException("request.too-large", ErrorKind.TOO_LARGE,
                    "the JSON body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        return read(type, bytes);
    }

    /** The record a JSON body describes; pure, so every rule is tested without a server. */
    static <T extends Record> T read(Class<T> type, byte[] bytes) {
        JsonValue parsed;
        try {
            parsed = Json.parse(bytes, "request body");
        } catch (MalformedMetadataException e) {
            throw refused("the request body is not strict JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof JsonValue.JsonObject object)) {
            throw refused("the request body must be a JSON object");
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> known = new LinkedHashSet<>();
        for (RecordComponent c : components) {
            known.add(c.getName());
        }
        for (String name : object.members().keySet()) {
            if (!known.contains(name)) {
                throw refused("unknown field " + name + "; this operation reads " + String.join(", ", known));
            }
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            values[i] = value(c.getName(), c.getGenericType(), object.get(c.getName()));
        }
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("request record " + type.getName() + " cannot be built", e);
        }
    }

    private static Object value(String field, Type type, JsonValue json) {
        if (json == null || json == JsonValue.JsonNull.INSTANCE) {
            if (type instanceof Class<?> c && c.isPrimitive()) {
                throw refused("field " + field + " is required");
            }
            return null;
        }
        if (type == String.class) {
            if (json instanceof JsonValue.JsonString s) {
                return s.value();
            }
            throw wrongType(field, "a string", json);
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            if (!(json instanceof JsonValue.JsonNumber n)) {
                throw wrongType(field, "a whole number", json);
            }
            boolean isInt = type == Integer.class || type == int.class;
            BigInteger min = BigInteger.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE);
            BigInteger max = BigInteger.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
            if (n.value().compareTo(min) < 0 || n.value().compareTo(max) > 0) {
                throw refused("field " + field + " is out of range: " + n.value());
            }
            return isInt ? (Object) n.value().intValue() : (Object) n.value().longValue();
        }
        if (type == JsonValue.JsonObject.class) {
            // A nested document the service reads itself (a TUF key object), as parsed: strict, no duplicates.
            if (json instanceof JsonValue.JsonObject o) {
                return o;
            }
            throw wrongType(field, "an object", json);
        }
        if (type == Boolean.class || type == boolean.class) {
            if (json instanceof JsonValue.JsonBoolean b) {
                return b.value();
            }
            throw wrongType(field, "true or false", json);
        }
        if (type instanceof ParameterizedType p && p.getActualTypeArguments()[0] == String.class
                && (p.getRawType() == List.class || p.getRawType() == Set.class)) {
            if (!(json instanceof JsonValue.JsonArray array)) {
                throw wrongType(field, "an array of strings", json);
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < array.elements().size(); i++) {
                if (!(array.elements().get(i) instanceof JsonValue.JsonString s)) {
                    throw wrongType(field + "[" + i + "]", "a string", array.elements().get(i));
                }
                out.add(s.value());
            }
            if (p.getRawType() == List.class) {
                return List.copyOf(out);
            }
            Set<String> set = new LinkedHashSet<>(out);
            if (set.size() != out.size()) {
                throw refused("field " + field + " lists a value twice");
            }
            return java.util.Collections.unmodifiableSet(set);
        }
        throw new IllegalStateException("request records hold strings, numbers, booleans, string lists and objects, not " + type);
    }

    private static OtaException wrongType(String field, String expected, JsonValue found) {
        return refused("field " + field + " must be " + expected + ", not " + JsonValue.describe(found));
    }


    private static OtaException refused(String message) {
        return new OtaException(CODE, ErrorKind.INVALID_INPUT, message);
    }

}
