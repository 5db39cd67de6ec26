package dev.ota.agent.gateway;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code gateway.*} keys of the agent's configuration file ({@code ota-agent --config FILE gateway}). Relative
 * paths are taken relative to the file's folder. The same file may hold {@link dev.ota.agent.device.RunConfig}'s keys
 * too: then the gateway is also a device and runs its own agent beside the mirror.
 * <pre>
 * gateway.upstream=https://ota.example.com    the cloud; default server.url
 * gateway.bind=0.0.0.0 / gateway.port=8080     where devices reach the gateway (port 0: any free port)
 * gateway.dir=gateway                          cache, metadata, the gateway's own trusted image metadata
 * gateway.image.root=root.json                 the image repository's root images are verified with; default image.root
 * gateway.cache.max-bytes=1073741824           images kept together at most
 * gateway.retry-after-seconds=60               what devices are told to wait while the cloud is unreachable
 * gateway.request.timeout-seconds=30 / gateway.download.timeout-seconds=300 / gateway.threads=8
 * gateway.staged.keep-seconds=600              how long an image too big for the cache is kept after its last answer,
 *                                              for devices resuming its download (0: deleted after the last answer)
 * </pre>
 */
public record GatewayConfig(URI upstream, String bind, int port, Path dir, Path imageRoot, long cacheMaxBytes,
                            Duration retryAfter, Duration requestTimeout, Duration downloadTimeout,
                            int threads, Duration stagedKeep) {

    public GatewayConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("gateway.port must be 0 to 65535");
        if (cacheMaxBytes <= 0) throw new IllegalArgumentException("gateway.cache.max-bytes must be positive");
        if (threads < 1) throw new IllegalArgumentException("gateway.threads must be at least 1");
        if (retryAfter.isNegative() || retryAfter.isZero()) throw new IllegalArgumentException("gateway.retry-after-seconds must be positive");
        if (stagedKeep.isNegative()) throw new IllegalArgumentException("gateway.staged.keep-seconds must not be negative");
    }

    /** Whether {@code file} configures a gateway (has {@code gateway.port}). */
    public static boolean present(Path file) {
        return properties(file).getProperty("gateway.port") != null;
    }

    public static GatewayConfig load(Path file) {
        Properties p = properties(file);
        Path base = file.toAbsolutePath().getParent();
        String upstream = optional(p, "gateway.upstream").or(() -> optional(p, "server.url"))
                .orElseThrow(() -> new IllegalArgumentException("configuration lacks 'gateway.upstream' (or 'server.url')"));
        String root = optional(p, "gateway.image.root").or(() -> optional(p, "image.root"))
                .orElseThrow(() -> new IllegalArgumentException("configuration lacks 'gateway.image.root' (or 'image.root')"));
        return new GatewayConfig(URI.create(upstream), p.getProperty("gateway.bind", "127.0.0.1").trim(),
                Integer.parseInt(required(p, "gateway.port")), base.resolve(p.getProperty("gateway.dir", "gateway").trim()),
                base.resolve(root), Long.parseLong(p.getProperty("gateway.cache.max-bytes", "1073741824").trim()),
                seconds(p, "gateway.retry-after-seconds", "60"),
                seconds(p, "gateway.request.timeout-seconds", "30"), seconds(p, "gateway.download.timeout-seconds", "300"),
                Integer.parseInt(p.getProperty("gateway.threads", "8").trim()), seconds(p, "gateway.staged.keep-seconds", "600"));
    }

    private static Properties properties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static Duration seconds(Properties p, String key, String dflt) {
        return Duration.ofSeconds(Long.parseLong(p.getProperty(key, dflt).trim()));
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("configuration lacks '" + key + "'");
        return v.trim();
    }

    private static Optional<String> optional(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
