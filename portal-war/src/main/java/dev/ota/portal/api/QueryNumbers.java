package dev.ota.portal.api;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/**
 * Numeric query parameters read by hand: declared as {@code int}, a value like {@code limit=ten}
 * fails JAX-RS's conversion, which the specification answers with 404, as if the resource did
 * not exist. Parsed here, it is a 400 that names the parameter.
 */
final class QueryNumbers {
    private QueryNumbers() {
    }

    /** {@code value} as a whole number in [min, max]; otherwise a 400 naming the parameter and the range. */
    static int parse(String name, String value, int min, int max) {
        return (int) parseLong(name, value, min, max);
    }

    /** {@code value} as a whole number in [min, max]; otherwise a 400 naming the parameter and the range. */
    static long parseLong(String name, String value, long min, long max) {
        String problem = "query parameter '" + name + "' must be a whole number from " + min + " to " + max;
        try {
            long n = Long.parseLong(value.strip());
            if (n < min || n > max) {
                throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT, problem + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT, problem);
        }
    }

    /** An optional whole number: null when the parameter is absent, otherwise as {@link #parse} but 64-bit. */
    static Long optionalLong(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "query parameter '" + name + "' must be a whole number");
        }
    }
}
