package dev.ota.serving;

import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.repository.RepositoryState;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the stored metadata rows a head names, through the parse cache: what the publisher and the status
 * reader share. Reads only, in the caller's transaction; never locks, so a status read never waits for a
 * publish.
 */
public final class StoredMetadata {
    private final EntityManager em;
    private final ParsedMetadata parsed;

    public StoredMetadata(EntityManager em, ParsedMetadata parsed) {
        this.em = em;
        this.parsed = parsed;
    }

    /** A partial state holding no bin: the four top-level files at the head's versions. */
    public RepositoryState topLevel(RepositoryHead head) {
        RepositoryState known = parsed.top(head);
        if (known != null) {
            return known;
        }
        RepositoryState top = RepositoryState.loadPartial(content("root", head.rootVersion()),
                content("targets", head.targetsVersion()), Map.of(), content("snapshot", head.snapshotVersion()),
                content("timestamp", head.timestampVersion()));
        parsed.keepTop(top);
        return top;
    }

    public static long version(RepositoryState state, String role) {
        MetaFile listed = state.snapshot().metadata().metaFor(role);
        if (listed == null) {
            throw new IllegalStateException("snapshot " + state.snapshot().version() + " does not list " + role);
        }
        return listed.version();
    }

    /** One row's bytes by its unique (role, version): an index lookup. */
    public Bytes content(String role, long version) {
        List<byte[]> rows = em.createNamedQuery(SignedMetadata.CONTENT_BY_ROLE_AND_VERSION, byte[].class)
                .setParameter("role", role).setParameter("version", Math.toIntExact(version)).getResultList();
        if (rows.isEmpty()) {
            throw new IllegalStateException("the store lacks version " + version + " of " + role
                    + " that the current head refers to");
        }
        return Bytes.of(rows.get(0));
    }

    /** Each bin's expiry from its row's expires column (one index lookup per bin; nothing parsed). */
    public Map<String, Instant> binExpiries(RepositoryState state) {
        Map<String, Instant> out = new TreeMap<>();
        for (String name : state.snapshot().metadata().meta().keySet()) {
            String role = name.substring(0, name.length() - ".json".length());
            if (role.equals("targets")) {
                continue;
            }
            List<Instant> rows = em.createNamedQuery(SignedMetadata.EXPIRES_BY_ROLE_AND_VERSION, Instant.class)
                    .setParameter("role", role).setParameter("version", Math.toIntExact(version(state, role)))
                    .getResultList();
            if (rows.isEmpty()) {
                throw new IllegalStateException("the store lacks " + role + " as listed by the current snapshot");
            }
            out.put(role, rows.get(0));
        }
        return out;
    }
}
