package dev.ota.tuf;

/**
 * Transport failure: HTTP status, connection error, length cap exceeded, or a download slower than the
 * allowed minimum (slow retrieval attack). Nothing fetched in a failed download is trusted.
 */
public class DownloadException extends TufException {
    private final String url;

    public DownloadException(String url, String problem) {
        super(url + ": " + problem);
        this.url = url;
    }

    public DownloadException(String url, String problem, Throwable cause) {
        super(url + ": " + problem, cause);
        this.url = url;
    }

    public String url() { return url; }
}
