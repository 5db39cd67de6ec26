package dev.ota.tuf.repository;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of an edit: the repository state after it, and the files to store, in the order to store them
 * (root, then targets roles, then snapshot, then timestamp: TUF's publish order). No files means nothing
 * changed, a normal outcome. The caller stores all files in one transaction and only then serves the state.
 */
public record Publication(RepositoryState state, List<MetadataFile> files) {
    public Publication {
        if (state == null) throw new IllegalArgumentException("state is required");
        files = List.copyOf(files);
    }

    public boolean changed() {
        return !files.isEmpty();
    }

    /** Roles with a new file, in publish order. */
    public List<String> changedRoles() {
        return files.stream().map(MetadataFile::role).toList();
    }

    /**
     * This publication followed by one made from its state, as one unit to store: e.g. a root rotation and
     * the re-signed snapshot and timestamp under the new keys. Every file of both is kept: versioned names never
     * repeat, and a later {@code timestamp.json} supersedes an earlier one when stored in order.
     */
    public Publication followedBy(Publication next) {
        List<MetadataFile> all = new ArrayList<>(files);
        all.addAll(next.files);
        return new Publication(next.state, all);
    }
}
