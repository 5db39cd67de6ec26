package dev.ota.serving;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A name under {@code /targets/}: {@code <dir>/<sha256>.<name>}, the consistent-snapshot form
 * (TUF 5.7.3). The target path it stands for is {@code <dir>/<name>}.
 */
record TargetFileName(String targetPath, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    static Optional<TargetFileName> parse(String requestPath) {
        if (requestPath == null || requestPath.isEmpty() || requestPath.length() > 1200) {
            return Optional.empty();
        }
        int slash = requestPath.lastIndexOf('/');
        String dir = requestPath.substring(0, slash + 1);
        String last = requestPath.substring(slash + 1);
        if (last.length() < 66 || last.charAt(64) != '.') {
            return Optional.empty();
        }
        String hash = last.substring(0, 64);
        if (!SHA256.matcher(hash).matches()) {
            return Optional.empty();
        }
        return Optional.of(new TargetFileName(dir + last.substring(65), hash));
    }
}
