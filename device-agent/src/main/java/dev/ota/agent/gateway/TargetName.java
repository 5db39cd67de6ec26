package dev.ota.agent.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The image a {@code /targets/} request names: with consistent snapshots (what the server publishes) the last path
 * segment is {@code <sha256>.<basename>}, so the request names the target path and the exact bytes; without, only
 * the path. Pure.
 *
 * @param path   the target path as the image repository lists it, e.g. {@code lock-fw/1.5.0.bin}
 * @param sha256 the hash the name carries, when it carries one
 */
public record TargetName(String path, Optional<String> sha256) {
    private static final Pattern HASHED = Pattern.compile("([0-9a-f]{64})\\.(.+)");

    /**
     * @param rawPath the request path below {@code /targets/}, still URL-encoded
     * @return empty for a name that is no target path (empty, {@code .}/{@code ..} segments, undecodable)
     */
    public static Optional<TargetName> parse(String rawPath) {
        String decoded;
        try {
            // '+' is a literal plus in a path, not a space.
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (decoded.isEmpty() || decoded.endsWith("/") || decoded.startsWith("/")) return Optional.empty();
        for (String segment : decoded.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return Optional.empty();
        }
        int slash = decoded.lastIndexOf('/');
        String dir = decoded.substring(0, slash + 1);
        var m = HASHED.matcher(decoded.substring(slash + 1));
        if (m.matches()) return Optional.of(new TargetName(dir + m.group(2), Optional.of(m.group(1))));
        return Optional.of(new TargetName(decoded, Optional.empty()));
    }
}
