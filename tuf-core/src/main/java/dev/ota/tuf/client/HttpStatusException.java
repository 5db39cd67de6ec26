package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

/** The server answered with a status other than 200. 403 and 404 end the root chain; anything else fails the refresh. */
public final class HttpStatusException extends DownloadException {
    private final int statusCode;

    public HttpStatusException(String url, int statusCode) {
        super(url, "HTTP status " + statusCode);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }

    public boolean isNotFound() {
        return statusCode == 404 || statusCode == 403;
    }
}
