package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.TargetFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Target paths as this repository lists and serves them. A path is relative, {@code /}-separated, and must map
 * onto a URL and a blob-store name without surprises, so {@code .}/{@code ..} segments, empty segments,
 * backslashes and control characters are refused.
 */
public final class TargetPaths {
    private TargetPaths() {
    }

    /**
     * @throws InvalidTargetPathException if {@code path} could not be listed and served safely
     */
    public static String requireValid(String path) {
        if (path == null || path.isEmpty()) throw new InvalidTargetPathException(String.valueOf(path), "is empty");
        if (path.startsWith("/")) throw new InvalidTargetPathException(path, "must be relative (no leading '/')");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new InvalidTargetPathException(path, "holds a control character at " + i);
            if (c == '\\') throw new InvalidTargetPathException(path, "holds a backslash; use '/' to separate directories");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) throw new InvalidTargetPathException(path, "has an empty segment");
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidTargetPathException(path, "has a '" + segment + "' segment");
            }
        }
        return path;
    }

    /**
     * Where a target is served with consistent snapshots (TUF 5.7.3): {@code <dir>/<hash>.<basename>}, e.g.
     * {@code firmware/ecu/3b1f....app.bin} for {@code firmware/ecu/app.bin}. A client asks for exactly this name,
     * so the served bytes can never change under one URL.
     */
    public static String consistentPath(String targetPath, String hashHex) {
        requireValid(targetPath);
        if (hashHex == null || !hashHex.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("hash must be hex, got '" + hashHex + "'");
        }
        int slash = targetPath.lastIndexOf('/');
        return targetPath.substring(0, slash + 1) + hashHex + "." + targetPath.substring(slash + 1);
    }

    /** One served name per hash the target lists (the repository must answer each), ordered by hash algorithm. */
    public static List<String> consistentPaths(String targetPath, TargetFile file) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : new TreeMap<>(file.hashes()).entrySet()) {
            out.add(consistentPath(targetPath, h.getValue()));
        }
        return out;
    }
}
