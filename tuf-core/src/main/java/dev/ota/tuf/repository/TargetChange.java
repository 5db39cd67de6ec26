package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.TargetFile;

/** One change to the listed targets, applied by {@link Publisher#publish}. */
public sealed interface TargetChange {
    String path();

    /** Lists a new target; listing the identical file again changes nothing, other content is refused. */
    static TargetChange add(String path, TargetFile file) {
        return new Add(path, file);
    }

    /** Lists other content under a path that is already listed. */
    static TargetChange replace(String path, TargetFile file) {
        return new Replace(path, file);
    }

    /** Stops listing a path. */
    static TargetChange remove(String path) {
        return new Remove(path);
    }

    record Add(String path, TargetFile file) implements TargetChange {
        public Add {
            TargetPaths.requireValid(path);
            if (file == null) throw new IllegalArgumentException("file is required");
        }
    }

    record Replace(String path, TargetFile file) implements TargetChange {
        public Replace {
            TargetPaths.requireValid(path);
            if (file == null) throw new IllegalArgumentException("file is required");
        }
    }

    record Remove(String path) implements TargetChange {
        public Remove {
            TargetPaths.requireValid(path);
        }
    }
}
