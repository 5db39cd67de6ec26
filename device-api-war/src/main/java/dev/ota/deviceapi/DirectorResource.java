package dev.ota.deviceapi;

import dev.ota.director.Director;
import dev.ota.director.DirectorDocument;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.Checkins;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The director's repositories (device-api.md, "Director metadata"): per device under {@code
 * /director/{deviceId}/metadata/}, with the bearer token of the device's last check-in; the root alone also under
 * {@code /director/root/}, without a token, for provisioning. 304 when the timestamp has not changed. The
 * director's own targets (the device's desired configuration, {@code config/{deviceId}.json}) under {@code
 * /director/{deviceId}/targets/}, with the same token, under both their plain and their hash-prefixed names (TUF
 * clients fetch {@code {sha256}.{name}} with consistent snapshots).
 */
@Path("director")
@ApplicationScoped
public class DirectorResource {
    private static final Pattern ROOT_FILE = Pattern.compile("([1-9][0-9]{0,8})\\.root\\.json");

    @EJB
    private Director director;

    @EJB
    private Checkins checkins;

    @GET
    @Path("root/{file}")
    public Response root(@PathParam("file") String file) {
        var m = ROOT_FILE.matcher(file);
        Optional<DirectorDocument> doc = m.matches() ? director.root(Integer.parseInt(m.group(1))) : Optional.empty();
        return served(doc.orElseThrow(() -> notFound(file)), null, null);
    }

    @GET
    @Path("{deviceId}/metadata/{file}")
    public Response metadata(@PathParam("deviceId") String deviceId, @PathParam("file") String file,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                             @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince) {
        DirectorDocument doc = director.deviceFile(deviceId, file, DeviceRequests.bearer(authorization))
                .orElseThrow(() -> notFound(file));
        return file.equals("timestamp.json") ? served(doc, ifNoneMatch, ifModifiedSince) : served(doc, null, null);
    }

    @GET
    @Path("{deviceId}/targets/config/{file}")
    public Response configTarget(@PathParam("deviceId") String deviceId, @PathParam("file") String file,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        checkins.authorize(deviceId, DeviceRequests.bearer(authorization));
        DirectorDocument doc = director.configTarget(deviceId, file).orElseThrow(() -> new OtaException(
                "director.not-found", ErrorKind.NOT_FOUND, "no director target 'config/" + file + "'"));
        return served(doc, null, null);
    }

    private static Response served(DirectorDocument doc, String ifNoneMatch, String ifModifiedSince) {
        String etag = "\"" + doc.sha256() + "\"";
        String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(doc.signedAt().atOffset(ZoneOffset.UTC));
        Response.ResponseBuilder r = notModified(etag, doc.signedAt(), ifNoneMatch, ifModifiedSince)
                ? Response.notModified() : Response.ok(doc.bytes(), "application/json");
        return r.header(HttpHeaders.ETAG, etag).header(HttpHeaders.LAST_MODIFIED, lastModified)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }

    /**
     * RFC 9110: If-None-Match decides when present (a list of entity tags, or *); otherwise If-Modified-Since, at
     * the one-second resolution of HTTP dates. An unreadable date is ignored, as the RFC says.
     */
    static boolean notModified(String etag, Instant signedAt, String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            if (ifNoneMatch.equals(etag)) return true; // what a polling device sends: its one tag, as it was given
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.strip();
                if (t.startsWith("W/")) t = t.substring(2);
                if (t.equals("*") || t.equals(etag)) return true;
            }
            return false;
        }
        if (ifModifiedSince != null) {
            try {
                Instant since = DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince.strip(), Instant::from);
                return !signedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    static OtaException notFound(String file) {
        return new OtaException("director.not-found", ErrorKind.NOT_FOUND, "no director metadata '" + file + "'");
    }
}
