package dev.ota.deviceapi;

import dev.ota.director.DirectorDocument;
import dev.ota.director.DirectorPolls;
import dev.ota.error.ErrorBody;
import dev.ota.fleet.FleetSettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code GET /director/{deviceId}/metadata/timestamp.json}, the request every device makes all day (device-api.md,
 * "Director metadata"; 304 while unchanged), answered here, before JAX-RS, as {@link FileServlet} answers the image
 * repository's files: JAX-RS's per-request routing, parameter injection, providers and response building cost
 * more than the poll itself (bench/README.md, director-vs-nginx). The answer is {@link DirectorResource}'s, byte for
 * byte in what a device can act on: the bearer token required and checked, every rule read from the database on each poll ({@link DirectorPolls}), the same
 * JSON error bodies and statuses ({@link ErrorMapper#body}), the same ETag, Last-Modified and Cache-Control on 200
 * and 304, the same conditional rules ({@link DirectorResource#notModified}). Everything else under
 * {@code /director/} (other files, HEAD, a device id outside the contract's characters, anything escaped or with
 * path parameters) goes on to JAX-RS unchanged.
 */
@WebFilter(filterName = "directorPoll", urlPatterns = "/director/*")
public class DirectorPoll extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "/director/";
    private static final String SUFFIX = "/metadata/timestamp.json";
    private static final int MAX_DEVICE_ID = 64;

    @Inject
    private transient DirectorPolls polls;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String deviceId = request.getMethod().equals("GET") ? polledDevice(request.getRequestURI(), request.getContextPath())
                : null;
        if (deviceId == null) {
            chain.doFilter(request, response);
            return;
        }
        DirectorDocument doc;
        try {
            doc = polls.timestamp(deviceId, DeviceRequests.bearer(request.getHeader("Authorization"))).orElse(null);
        } catch (RuntimeException e) {
            error(response, ErrorMapper.body(e));
            return;
        }
        if (doc == null) {
            error(response, ErrorMapper.body(DirectorResource.notFound("timestamp.json")));
            return;
        }
        String etag = "\"" + doc.sha256() + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(doc.signedAt().atOffset(ZoneOffset.UTC)));
        response.setHeader("Cache-Control", "no-cache");
        if (DirectorResource.notModified(etag, doc.signedAt(), request.getHeader("If-None-Match"),
                request.getHeader("If-Modified-Since"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] bytes = doc.bytes();
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }

    /**
     * The device id of a poll's address (the raw request URI): {@code /director/<id>/metadata/timestamp.json} with an
     * id of 1 to 64 of {@code [A-Za-z0-9._-]} not starting with '.' (device-api.md), so nothing in it is escaped or
     * needs decoding; null for any other address, which JAX-RS then answers as before.
     */
    static String polledDevice(String uri, String contextPath) {
        int start = contextPath.length() + PREFIX.length();
        int end = uri.length() - SUFFIX.length();
        if (end <= start || end - start > MAX_DEVICE_ID || !uri.startsWith(PREFIX, contextPath.length())
                || !uri.startsWith(contextPath) || !uri.endsWith(SUFFIX) || uri.charAt(start) == '.') {
            return null;
        }
        for (int i = start; i < end; i++) {
            char c = uri.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return null;
            }
        }
        return uri.substring(start, end);
    }

    /** As {@link ErrorMapper#response} writes it through JAX-RS: the status, the JSON body, Retry-After on a 503. */
    private static void error(HttpServletResponse response, ErrorBody body) throws IOException {
        byte[] json = body.json().getBytes(StandardCharsets.UTF_8);
        response.setStatus(body.status());
        if (body.status() == 503) response.setHeader("Retry-After", String.valueOf(FleetSettings.overloadRetryAfterSeconds()));
        response.setContentType(ErrorBody.CONTENT_TYPE);
        response.setContentLength(json.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(json);
        }
    }
}
