package dev.ota.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.repository.Delegation;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryConfig;
import dev.ota.tuf.repository.RoleKeySet;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServedFiles} asks the database, counted through an EntityManager that answers from
 * a repository signed in memory: the reads a device's poll costs are the point of the cache.
 */
class ServedFilesTest {
    private final Map<String, MetadataFile> rows = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    /** The head row: generation, root, timestamp, snapshot, targets version. */
    private Object[] head = {1L, 1, 1, 1, 1};
    private ServedFiles served;

    @BeforeEach
    void aRepositoryAtVersionOne() throws Exception {
        Map<String, RoleKeySet> keys = new HashMap<>();
        for (String role : List.of("root", "targets", "snapshot", "timestamp", "releases")) {
            keys.put(role, new RoleKeySet(List.of(SigningKey.generate()), 1));
        }
        Publication v1 = Publisher.create(new RepositoryConfig(keys.get("root"), keys.get("targets"),
                keys.get("snapshot"), keys.get("timestamp"), keys.get("releases"),
                new Delegation.HashBins("releases", 4), Expiries.defaults()), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        for (MetadataFile f : v1.files()) {
            rows.put(f.version() + "." + f.role(), f);
        }
        served = new ServedFiles();
        Field em = ServedFiles.class.getDeclaredField("em");
        em.setAccessible(true);
        em.set(served, countingEntityManager());
    }

    @Test
    void pollingTimestampReadsTheHeadOnceAndServesTheSnapshotsVersions() throws Exception {
        byte[] first = bytes(served.metadata("timestamp.json").orElseThrow());
        served.metadata("timestamp.json").orElseThrow();
        served.metadata("timestamp.json").orElseThrow();

        assertArrayEquals(rows.get("1.timestamp").bytes().toArray(), first);
        assertEquals(1, reads.stream().filter(r -> r.equals("head")).count(), "one head read per check interval: " + reads);
        assertArrayEquals(rows.get("1.releases-0").bytes().toArray(),
                bytes(served.metadata("releases-0.json").orElseThrow()), "a bin's plain name: the snapshot's version");
    }

    @Test
    void theRootAfterTheCurrentOneIsRefusedWithoutReadingTheDatabase() {
        served.metadata("timestamp.json").orElseThrow();
        reads.clear();

        for (int i = 0; i < 100; i++) {
            assertTrue(served.metadata("2.root.json").isEmpty());
        }

        assertEquals(List.of(), reads, "every TUF client's look for root N+1 costs no database read");
    }

    @Test
    void versionedFilesAreReadOnceAndAPublishDropsTheHead() {
        served.metadata("1.root.json").orElseThrow();
        served.metadata("1.root.json").orElseThrow();
        assertEquals(1, reads.stream().filter(r -> r.equals("1.root")).count(), "immutable: read once " + reads);

        served.metadata("timestamp.json").orElseThrow();
        served.invalidate();
        served.metadata("timestamp.json").orElseThrow();

        assertEquals(2, reads.stream().filter(r -> r.equals("head")).count(), "re-read after a publish: " + reads);
    }

    @Test
    void everyRootVersionStaysServedOnceAPublishMovesTheHeadToANewRoot() throws Exception {
        MetadataFile root1 = rows.get("1.root");
        MetadataFile root2 = new MetadataFile("2.root.json", "root", 2, root1.expires(),
                dev.ota.tuf.metadata.Bytes.utf8("{\"signed\":{\"version\":2}}"));
        assertTrue(served.metadata("2.root.json").isEmpty(), "not yet published");

        rows.put("2.root", root2);
        head = new Object[] {2L, 2, 1, 1, 1};
        served.invalidate();

        assertArrayEquals(root2.bytes().toArray(), bytes(served.metadata("2.root.json").orElseThrow()));
        assertArrayEquals(root1.bytes().toArray(), bytes(served.metadata("1.root.json").orElseThrow()),
                "an older root stays served: clients walk the chain from the root they ship with");
        assertArrayEquals(root2.bytes().toArray(), bytes(served.metadata("root.json").orElseThrow()));
        assertTrue(served.metadata("3.root.json").isEmpty());
    }

    private static byte[] bytes(ServedFile file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.body().writeTo(out);
        return out.toByteArray();
    }

    /** Answers the head query and the two by-(role, version) queries ServedFiles makes; records each. */
    private EntityManager countingEntityManager() {
        return (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EntityManager.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createQuery" -> query("head", java.util.Collections.singletonList(head));
                    case "createNamedQuery" -> named((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private TypedQuery<?> named(String name) {
        Map<String, Object> params = new HashMap<>();
        return (TypedQuery<?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TypedQuery.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("setParameter")) {
                        params.put((String) args[0], args[1]);
                        return proxy;
                    }
                    if (!method.getName().equals("getResultList")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String key = params.get("version") + "." + params.get("role");
                    reads.add(key);
                    MetadataFile f = rows.get(key);
                    if (f == null) {
                        return List.of();
                    }
                    byte[] content = f.bytes().toArray();
                    return name.equals(SignedMetadata.CONTENT_BY_ROLE_AND_VERSION) ? List.of(content)
                            : List.of(new SignedMetadata(f.role(), (int) f.version(), f.expires(), content, Instant.now()));
                });
    }

    private TypedQuery<?> query(String label, List<Object> result) {
        return (TypedQuery<?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TypedQuery.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getResultList")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    reads.add(label);
                    return result;
                });
    }
}
