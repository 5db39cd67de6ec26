package dev.ota.portal.transport;

import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses multipart bodies before anything reads them. Faces parses a multipart POST for any view,
 * {@code /login.xhtml} included, and the servlet container spools each part above the threshold to
 * a temporary file; so without this gate anyone could fill the disk without signing in. A multipart
 * body is let through only to the upload page ({@link #UPLOAD_PAGES}), only for a signed-in user
 * (the page's security constraint has run by then), and only when its declared length fits the
 * upload cap. Bodies of unknown length (chunked) meet web.xml's {@code max-request-size} and the
 * cap the release service counts as it stores.
 */
@WebFilter(filterName = "uploadGate", urlPatterns = "*.xhtml")
public class UploadGate extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /** The only views with a file input. */
    static final Set<String> UPLOAD_PAGES = Set.of("/app/releases.xhtml");
    /** Room for the form's other fields (path, version, hardware ids, Faces' view state) beside the file. */
    static final long FORM_FIELDS_ALLOWANCE = 64 * 1024;

    /** What becomes of a request. */
    enum Verdict { PASS, NOT_AN_UPLOAD_PAGE, TOO_LARGE }

    private long maxUploadBytes;

    @Override
    public void init() {
        maxUploadBytes = maxUploadBytes(System.getenv("OTA_MAX_UPLOAD_BYTES"));
    }

    /** The same setting and default (1 GiB) the release service enforces while it stores an upload. */
    static long maxUploadBytes(String setting) {
        try {
            long v = setting == null || setting.isBlank() ? 1L << 30 : Long.parseLong(setting.strip());
            return v > 0 ? v : 1L << 30;
        } catch (NumberFormatException e) {
            return 1L << 30;
        }
    }

    static Verdict judge(String contentType, long contentLength, String servletPath, boolean signedIn, long maxUploadBytes) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return Verdict.PASS;
        }
        if (!signedIn || !UPLOAD_PAGES.contains(servletPath)) {
            return Verdict.NOT_AN_UPLOAD_PAGE;
        }
        return contentLength > maxUploadBytes + FORM_FIELDS_ALLOWANCE ? Verdict.TOO_LARGE : Verdict.PASS;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Verdict verdict = judge(request.getContentType(), request.getContentLengthLong(), request.getServletPath(),
                request.getUserPrincipal() != null, maxUploadBytes);
        if (verdict == Verdict.PASS) {
            chain.doFilter(request, response);
            return;
        }
        // Answer without reading the body, and close the connection, so the rest is never received.
        response.setHeader("Connection", "close");
        ErrorResponses.send(request, response, verdict == Verdict.TOO_LARGE
                ? ErrorBody.of(ErrorKind.TOO_LARGE, "upload.too-large",
                        "the upload exceeds the limit of " + maxUploadBytes + " bytes (OTA_MAX_UPLOAD_BYTES)")
                : ErrorBody.of(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "upload.not-accepted-here",
                        "file uploads are accepted only by the releases page, after signing in"));
    }
}
