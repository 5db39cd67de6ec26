package dev.ota.deviceapi;

import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import dev.ota.protocol.ByteRange;
import dev.ota.serving.ServedFile;
import dev.ota.serving.ServedFiles;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * {@code /metadata/*} and {@code /targets/*}: the hottest paths of the server (every device polls
 * {@code timestamp.json}), served by a plain servlet rather than JAX-RS, whose per-request routing,
 * providers and metrics cost more than the cached lookup itself. Exact stored bytes, strong ETag =
 * SHA-256, 304 on a matching If-None-Match, caching headers by whether the name can change, and
 * HEAD with the same headers and no body, and one byte range ({@link ByteRange}) for a device resuming a download. Anything missing: 404 with {@code {code, message}}.
 */
@WebServlet(urlPatterns = {"/metadata/*", "/targets/*"}, loadOnStartup = 1)
public class FileServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Versioned names and content-addressed targets never change (TUF consistent snapshots). */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** timestamp.json (and the other unversioned names) move with every publish and re-signing. */
    static final String CURRENT = "public, max-age=5";
    /** Browsers must not guess a type other than the one declared (JSON, octet-stream) for these bytes. */
    static final String NOSNIFF = "nosniff";
    /** The methods these files answer. */
    static final String ALLOW = "GET, HEAD, OPTIONS";

    @jakarta.inject.Inject
    private transient ServedFiles files;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, true);
    }

    /**
     * Not {@link HttpServlet}'s default, which runs GET into a counting stream: for a target that
     * means reading the whole image from disk to answer with its length, which is already known.
     */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, false);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, boolean withBody) throws IOException {
        response.setHeader("X-Content-Type-Options", NOSNIFF);
        String name = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        boolean metadata = request.getServletPath().equals("/metadata");
        Optional<ServedFile> found = name.isEmpty() ? Optional.empty()
                : metadata ? files.metadata(name) : files.target(name);
        if (found.isEmpty()) {
            notFound(response, request.getServletPath() + "/" + name);
            return;
        }
        ServedFile file = found.get();
        String etag = file.etag();
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", file.freshness() == ServedFile.Freshness.IMMUTABLE ? IMMUTABLE : CURRENT);
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*")
                || ifNoneMatch.contains(etag))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setHeader("Accept-Ranges", "bytes");
        ByteRange range = ByteRange.of(request.getHeader("Range"), request.getHeader("If-Range"), etag, file.length());
        if (range instanceof ByteRange.Unsatisfiable) {
            response.setHeader("Content-Range", "bytes */" + file.length());
            ErrorPage.send(response, ErrorBody.forStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE,
                    "the range asked for starts at or past the end of the file (" + file.length() + " bytes)"));
            return;
        }
        response.setContentType(file.contentType());
        if (range instanceof ByteRange.Part part) {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader("Content-Range", part.contentRange(file.length()));
            response.setContentLengthLong(part.length());
        } else {
            response.setContentLengthLong(file.length());
        }
        if (!withBody) {
            return;
        }
        try (OutputStream out = response.getOutputStream()) {
            if (range instanceof ByteRange.Part part) {
                file.body().writeTo(out, part.first(), part.length());
            } else {
                file.body().writeTo(out);
            }
        }
    }

    private static void notFound(HttpServletResponse response, String what) throws IOException {
        ErrorPage.send(response, ErrorBody.of(ErrorKind.NOT_FOUND, "repository.not-found", "nothing is published as " + what));
    }

    /** Only what is served: HttpServlet's default also offers TRACE, which echoes requests back (cross-site tracing). */
    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", ALLOW);
        response.setHeader("X-Content-Type-Options", NOSNIFF);
    }

    @Override
    protected void doTrace(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", ALLOW);
        ErrorPage.send(response, ErrorBody.forStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED, null));
    }
}
