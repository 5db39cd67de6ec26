package dev.ota.serving;

import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.repository.RepositoryState;
import dev.ota.tuf.repository.RoleFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Parsed metadata files by role and version, shared by the publisher and the status reader. A stored
 * version never changes, so an entry can never be stale, whoever moves the head: a publish still reads
 * the head row (under its lock) and looks up exactly the versions named there and in snapshot. It only
 * saves reading and parsing the same bytes again; bins are kept least-recently-used, a bounded number.
 * Thread-safe: the top-level state is one volatile reference, the bins a synchronized map.
 */
@ApplicationScoped
public class ParsedMetadata {
    private static final int MAX_BINS = 64;
    private volatile RepositoryState top;
    private final Map<String, RoleFile<Targets>> bins = new java.util.LinkedHashMap<>(MAX_BINS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RoleFile<Targets>> eldest) {
            return size() > MAX_BINS;
        }
    };

    public RepositoryState top(RepositoryHead head) {
        RepositoryState t = top;
        boolean same = t != null && t.root().version() == head.rootVersion()
                && t.targets().version() == head.targetsVersion()
                && t.snapshot().version() == head.snapshotVersion()
                && t.timestamp().version() == head.timestampVersion();
        return same ? t : null;
    }

    public void keepTop(RepositoryState state) {
        top = state.delegated().isEmpty() ? state : new RepositoryState(state.root(), state.targets(), Map.of(),
                state.snapshot(), state.timestamp(), false);
    }

    public synchronized RoleFile<Targets> bin(String role, long version) {
        RoleFile<Targets> f = bins.get(role);
        return f != null && f.version() == version ? f : null;
    }

    public synchronized void keepBin(RoleFile<Targets> file) {
        bins.put(file.role(), file);
    }
}
