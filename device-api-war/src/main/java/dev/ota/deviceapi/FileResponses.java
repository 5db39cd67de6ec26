package dev.ota.deviceapi;

import dev.ota.repository.ServedFile;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Optional;

/** Turns a served file into an HTTP response: exact bytes, ETag, caching headers, 304 and 404. */
final class FileResponses {
    /** Versioned names and content-addressed targets never change (TUF consistent snapshots). */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private FileResponses() {
    }

    /** Short: timestamp.json moves with every publish and with every automatic re-signing. */
    static String current(long maxAgeSeconds) {
        return "public, max-age=" + maxAgeSeconds;
    }

    static Response of(Optional<ServedFile> found, Request request, String what, long currentMaxAgeSeconds) {
        if (found.isEmpty()) {
            throw new NotServedException(what);
        }
        ServedFile file = found.get();
        EntityTag etag = new EntityTag(file.sha256());
        String cacheControl = file.freshness() == ServedFile.Freshness.IMMUTABLE
                ? IMMUTABLE : current(currentMaxAgeSeconds);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
        if (notModified != null) {
            return notModified.header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        StreamingOutput body = out -> file.body().writeTo(out);
        return Response.ok(body, file.contentType())
                .tag(etag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header(HttpHeaders.CONTENT_LENGTH, file.length())
                .build();
    }
}
