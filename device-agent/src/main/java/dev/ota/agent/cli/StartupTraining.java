package dev.ota.agent.cli;

import com.sun.net.httpserver.HttpServer;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.Delegation;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryConfig;
import dev.ota.tuf.repository.RoleKeySet;
import dev.ota.tuf.repository.TargetChange;
import dev.ota.tuf.repository.TargetPaths;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training run for the class data sharing archive that {@code bin/ota-agent-tuf} starts with: the build runs
 * it once with {@code -XX:ArchiveClassesAtExit}, so that the classes a real init, refresh and download load are
 * archived (a third less start-up time per CLI call). It signs a small repository with every key type, serves
 * it on 127.0.0.1 and drives the CLI against it; it touches nothing outside a temporary folder.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("ota-agent-training");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        RepositoryConfig config = new RepositoryConfig(RoleKeySet.of(SigningKey.generate(KeyType.ECDSA_P256)),
                RoleKeySet.of(SigningKey.generate(KeyType.RSA_PSS)), RoleKeySet.of(SigningKey.generate()),
                RoleKeySet.of(SigningKey.generate()), RoleKeySet.of(SigningKey.generate()),
                new Delegation.HashBins("releases", 2), Expiries.defaults());
        Map<String, byte[]> files = new HashMap<>();
        Publication created = Publisher.create(config, now);
        byte[] image = "training image".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TargetFile target = TargetFile.describing(Bytes.of(image), Optional.of(JsonValue.obj("version", JsonValue.of("1"))));
        Publication published = Publisher.publish(created.state(), List.of(TargetChange.add("fw/image.bin", target)),
                config.keyring(), config.expiries(), now);
        for (Publication p : List.of(created, published)) {
            for (MetadataFile f : p.files()) files.put("/metadata/" + f.fileName(), f.bytes().toArray());
        }
        files.put("/targets/" + TargetPaths.consistentPath("fw/image.bin", target.hashes().get("sha256")), image);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = files.get(ex.getRequestURI().getPath());
                ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path root = work.resolve("1.root.json");
            Files.write(root, files.get("/metadata/1.root.json"));
            String md = work.resolve("md").toString();
            int a = TufCli.run(new String[] {"--metadata-dir", md, "init", root.toString()}, System.err, Clock.systemUTC());
            int b = TufCli.run(new String[] {"--metadata-url", base + "/metadata/", "--metadata-dir", md,
                    "--target-name", "fw/image.bin", "--target-dir", work.resolve("t").toString(),
                    "--target-base-url", base + "/targets/", "download"}, System.err, Clock.systemUTC());
            if (a != 0 || b != 0) throw new IllegalStateException("training run failed");
        } finally {
            server.stop(0);
            try (var s = Files.walk(work)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
