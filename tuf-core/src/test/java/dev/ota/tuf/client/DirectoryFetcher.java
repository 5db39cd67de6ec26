package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Serves a repository laid out on disk as a TUF HTTP server would, and logs the paths asked for. */
final class DirectoryFetcher implements Fetcher {
    private final URI base;
    private final Path root;
    final List<String> requests = new ArrayList<>();

    DirectoryFetcher(URI base, Path root) {
        this.base = base;
        this.root = root;
    }

    @Override
    public byte[] fetch(URI url, long maxLength) {
        String rel = base.relativize(url).getPath();
        requests.add(rel);
        Path file = root.resolve(rel).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) throw new HttpStatusException(url.toString(), 404);
        try {
            byte[] data = Files.readAllBytes(file);
            if (data.length > maxLength) throw new DownloadException(url.toString(), "exceeds the length limit of " + maxLength + " bytes");
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
