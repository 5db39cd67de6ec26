package dev.ota.tuf.testing;

import dev.ota.tuf.metadata.Bytes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file under a folder with its bytes, keyed by relative path: what "the trusted state on disk did not
 * change" is compared with. Equal values mean the same names and the same bytes.
 */
public final class FolderContents {
    private FolderContents() {
    }

    public static Map<String, Bytes> of(Path folder) {
        Map<String, Bytes> out = new TreeMap<>();
        if (!Files.isDirectory(folder)) return out;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) out.put(folder.relativize(p).toString(), Bytes.of(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
