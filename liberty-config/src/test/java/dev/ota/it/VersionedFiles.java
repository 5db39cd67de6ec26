package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.Timestamp;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The versioned metadata files a repository has published, for tests that compare what a server
 * serves before and after a stop, a crash or another server's work: those names never change bytes.
 */
final class VersionedFiles {
    private VersionedFiles() {
    }

    /** Root 1, every snapshot version up to the one the served timestamp names, and every version any of them lists. */
    static Set<String> names(Http http) {
        Set<String> names = new TreeSet<>();
        names.add("1.root.json");
        long latest = Signed.parse(ok(http.get("/metadata/timestamp.json")).body(), Timestamp.class, "timestamp.json")
                .signed().snapshotMeta().version();
        for (long v = 1; v <= latest; v++) {
            names.add(v + ".snapshot.json");
            Snapshot snapshot = Signed.parse(ok(http.get("/metadata/" + v + ".snapshot.json")).body(), Snapshot.class,
                    v + ".snapshot.json").signed();
            for (Map.Entry<String, MetaFile> m : snapshot.meta().entrySet()) {
                names.add(m.getValue().version() + "." + m.getKey());
            }
        }
        return names;
    }

    /** Each name to the SHA-256 of the bytes {@code http} serves for it now, or to its HTTP status when not 200. */
    static Map<String, String> servedBy(Http http, Set<String> names) {
        Map<String, String> served = new TreeMap<>();
        for (String name : names) {
            HttpResponse<byte[]> r = http.get("/metadata/" + name);
            served.put(name, r.statusCode() == 200 ? sha256(r.body()) : "HTTP " + r.statusCode());
        }
        return served;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), () -> r.uri() + ": " + Http.text(r));
        return r;
    }
}
