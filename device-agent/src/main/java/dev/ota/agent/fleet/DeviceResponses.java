package dev.ota.agent.fleet;

import dev.ota.protocol.CheckinResponse;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.EnrollmentResponse;
import dev.ota.protocol.Envelope;
import dev.ota.protocol.MalformedDocumentException;
import dev.ota.tuf.TufException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/** Reads the server's answers of device-api.md into {@link Answer}s. Pure apart from the clock for HTTP dates. */
public final class DeviceResponses {
    private DeviceResponses() {
    }

    public static Answer<EnrollmentResponse> enrollment(DeviceResponse r, Clock clock) {
        return read(r, clock, json -> EnrollmentResponse.fromJson(parse(json)));
    }

    public static Answer<CheckinResponse> checkin(DeviceResponse r, Clock clock) {
        return read(r, clock, json -> CheckinResponse.fromJson(parse(json)));
    }

    /** A config upload's 200 carries nothing the device needs. */
    public static Answer<Void> configUpload(DeviceResponse r, Clock clock) {
        return read(r, clock, json -> null);
    }

    /**
     * The configuration the server holds for {@code id}: used only when it is a config document for this device,
     * signed by this device's own key (the server cannot forge or swap a device's configuration).
     */
    public static Answer<ConfigBackup> configDownload(DeviceResponse r, Clock clock, DeviceIdentity id) {
        Answer<Envelope> envelope = read(r, clock, Envelope::parse);
        if (!(envelope instanceof Answer.Ok<Envelope> ok)) return retype(envelope);
        Envelope e = ok.value();
        if (!id.signed(e)) return new Answer.Untrusted<>("the configuration the server holds is not signed by this device's key");
        try {
            ConfigBackup c = ConfigBackup.fromJson(e.signed());
            if (!c.deviceId().equals(id.deviceId())) {
                return new Answer.Untrusted<>("the configuration the server holds is for device " + c.deviceId());
            }
            return new Answer.Ok<>(ok.status(), c);
        } catch (MalformedDocumentException | IllegalArgumentException ex) {
            return new Answer.Untrusted<>("the configuration the server holds is malformed: " + ex.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <A, B> Answer<B> retype(Answer<A> a) {
        // Only Ok carries a value; every other variant holds the same data whatever the value type.
        return (Answer<B>) a;
    }

    private static <T> Answer<T> read(DeviceResponse r, Clock clock, Function<byte[], T> body) {
        int s = r.status();
        if (s >= 200 && s < 300) {
            try {
                return new Answer.Ok<>(s, body.apply(r.body().toArray()));
            } catch (MalformedDocumentException | IllegalArgumentException e) {
                return new Answer.Untrusted<>("the server's " + s + " answer is malformed: " + e.getMessage());
            }
        }
        if (s == 429 || s == 503) {
            Optional<Duration> after = r.retryAfter().flatMap(h -> retryAfter(h, clock));
            if (after.isPresent()) return new Answer.Throttled<>(after.get());
        }
        if (s >= 500 || s == 429) return new Answer.Unavailable<>("the server answered " + s);
        String code = "";
        String message = "";
        try {
            if (parse(r.body().toArray()) instanceof JsonValue.JsonObject o) {
                if (o.get("code") instanceof JsonValue.JsonString c) code = c.value();
                if (o.get("message") instanceof JsonValue.JsonString m) message = m.value();
            }
        } catch (IllegalArgumentException e) {
            // An error without the JSON body is still the refusal its status says.
        }
        return new Answer.Refused<>(s, code, message);
    }

    private static JsonValue parse(byte[] bytes) {
        try {
            return Json.parse(bytes, "response");
        } catch (TufException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    /**
     * {@code Retry-After} as delta-seconds (what device-api.md sends) or an HTTP date; empty when it is neither.
     * A date in the past means now.
     */
    public static Optional<Duration> retryAfter(String header, Clock clock) {
        String h = header.trim();
        if (h.matches("\\d{1,9}")) return Optional.of(Duration.ofSeconds(Long.parseLong(h)));
        try {
            Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
