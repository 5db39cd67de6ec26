package dev.ota.release;

import dev.ota.error.ErrorKind;
import dev.ota.repository.RepositoryFailure;
import dev.ota.repository.Shown;
import dev.ota.serving.BlobStore;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a release archive for a bulk import and stages its files, checking every entry as a
 * single upload is checked, before anything is published.
 * <p>
 * Wire format: a POSIX tar stream ({@code application/x-tar}). Each regular file is one release;
 * its name in the archive is its target path (a leading {@code ./} is dropped, so
 * {@code tar -C catalogue -cf - .} works). Directory entries are skipped; links, devices and FIFOs
 * are refused. An optional first entry named {@value #MANIFEST} holds one JSON object per line,
 * {@code {"path": ..., "version": ..., "hardwareIds": [...], "releaseCounter": 7, "custom": {...}}}, giving
 * per-file metadata; files it does not name, and fields a line leaves out, take the request's defaults. A file
 * without a {@code releaseCounter} gets the next one of its product line, in archive order.
 * <p>
 * Why tar: migrating a catalogue means many binary files; tar carries them as they are (no base64
 * growth as NDJSON would need), any tool writes it ({@code tar}, Python's tarfile, Go, CI systems),
 * and it is a sequence of (header, bytes) pairs that streams straight into the blob store with one
 * 512-byte block in memory. The manifest comes first so that each file's metadata is known when
 * its bytes arrive.
 * <p>
 * Nothing is published here. Each file is staged (streamed to {@code blobs/incoming}, hashed and
 * counted on the way); any failure deletes every staged file and names the entry at fault.
 */
final class ReleaseArchive {
    /** The manifest's name; an archive cannot import a target under this path. */
    static final String MANIFEST = ".ota-manifest.ndjson";
    /** A manifest is metadata only: this leaves room for well over 100,000 lines. */
    static final int MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
    private static final Set<String> MANIFEST_FIELDS = Set.of("path", "version", "hardwareIds", "releaseCounter",
            "custom");

    /** One file of the archive, checked and staged, with the metadata it will be published with. */
    record Entry(int index, String path, String version, List<String> hardwareIds,
                 java.util.OptionalLong releaseCounter, JsonValue.JsonObject custom, String customJson,
                 BlobStore.Staged staged) {
    }

    /** What a manifest line or the request says about a file; null fields are not given. */
    record Description(String version, List<String> hardwareIds, Long releaseCounter, String customJson) {
        Description(String version, List<String> hardwareIds, String customJson) {
            this(version, hardwareIds, null, customJson);
        }
    }

    private ReleaseArchive() {
    }

    /**
     * Reads the whole archive and stages every file.
     *
     * @param defaults   the request's version, hardware ids and custom fields
     * @param maxBytes   the largest accepted file (OTA_MAX_UPLOAD_BYTES)
     * @param maxEntries the most files one archive may import
     * @throws RepositoryFailure naming the entry at fault; no staged file is left behind
     */
    static List<Entry> read(InputStream body, Description defaults, BlobStore blobs, long maxBytes, int maxEntries) {
        List<Entry> entries = new ArrayList<>();
        boolean complete = false;
        try {
            TarReader tar = new TarReader(body);
            Map<String, Description> manifest = Map.of();
            Set<String> manifestUnused = new HashSet<>();
            // Folded path -> the path as the archive spells it, to refuse a second spelling of one name.
            Map<String, String> seen = new HashMap<>();
            boolean manifestRead = false;
            TarReader.Entry e;
            while ((e = readNext(tar)) != null) {
                String name = e.name();
                while (name.startsWith("./")) {
                    name = name.substring(2);
                }
                if (e.kind() == TarReader.Kind.DIRECTORY) {
                    continue;
                }
                String at = "entry " + e.index() + " (" + Shown.inline(name) + ")";
                if (name.equals(MANIFEST)) {
                    // First among files: `tar -C dir -cf - .` writes the directory "./" before it.
                    if (!entries.isEmpty() || manifestRead) {
                        throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, at
                                + ": the manifest must be the archive's first file");
                    }
                    manifest = readManifest(tar, e, at);
                    manifestRead = true;
                    manifestUnused.addAll(manifest.keySet());
                    continue;
                }
                if (e.kind() != TarReader.Kind.FILE) {
                    throw fail("release.import-entry-type", ErrorKind.INVALID_INPUT, at + " is a "
                            + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + "; only regular files can be imported");
                }
                Description given = manifest.getOrDefault(name, new Description(null, null, null, null));
                manifestUnused.remove(name);
                ReleaseUpload upload = new ReleaseUpload(name,
                        given.version() != null ? given.version() : defaults.version(),
                        given.hardwareIds() != null ? given.hardwareIds() : defaults.hardwareIds(),
                        given.releaseCounter(),
                        given.customJson() != null ? given.customJson() : defaults.customJson(), e.size());
                Releases.Checked checked;
                try {
                    checked = Releases.validate(upload, maxBytes);
                } catch (RepositoryFailure f) {
                    throw fail(f.code(), f.kind(), at + ": " + f.getMessage());
                }
                String earlier = seen.putIfAbsent(ReleasePaths.folded(name), name);
                if (earlier != null && earlier.equals(name)) {
                    throw fail("release.duplicate", ErrorKind.INVALID_INPUT, at + ": the archive holds this path twice");
                }
                if (earlier != null) {
                    throw fail("release.path-confusable", ErrorKind.INVALID_INPUT, at + ": differs from the archive's '"
                            + earlier + "' only in letter case, so the two would be taken for one another");
                }
                if (entries.size() >= maxEntries) {
                    throw fail("release.import-too-large", ErrorKind.TOO_LARGE, at + ": an archive imports at most "
                            + maxEntries + " files (OTA_MAX_IMPORT_ENTRIES)");
                }
                BlobStore.Staged staged;
                try {
                    staged = blobs.stage(tar.content(), maxBytes, at);
                } catch (RepositoryFailure f) {
                    // A truncated archive surfaces as a read failure of the entry being streamed.
                    throw fail(f.code(), f.kind(), f.getMessage());
                }
                entries.add(new Entry(e.index(), name, upload.version(), upload.hardwareIds(),
                        checked.releaseCounter(), checked.custom(), Releases.storedCustom(checked.custom()), staged));
            }
            if (!manifestUnused.isEmpty()) {
                throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, "the manifest describes "
                        + Shown.text(manifestUnused.stream().sorted().findFirst().orElseThrow())
                        + " but the archive holds no such file" + (manifestUnused.size() > 1
                        ? " (and " + (manifestUnused.size() - 1) + " more)" : ""));
            }
            if (entries.isEmpty()) {
                throw fail("release.import-empty", ErrorKind.INVALID_INPUT, "the archive holds no file to import");
            }
            complete = true;
            return entries;
        } finally {
            if (!complete) {
                discard(entries);
            }
        }
    }

    /** Deletes whatever of these entries is still staged (not yet moved into the store). */
    static void discard(List<Entry> entries) {
        for (Entry e : entries) {
            BlobStore.discard(e.staged().file());
        }
    }

    private static TarReader.Entry readNext(TarReader tar) {
        try {
            return tar.next();
        } catch (TarReader.MalformedArchiveException e) {
            throw fail("release.import-malformed", ErrorKind.INVALID_INPUT, "not a well-formed tar archive: "
                    + e.getMessage());
        } catch (IOException e) {
            throw fail("release.upload-failed", ErrorKind.INVALID_INPUT, "the archive could not be read to its end: "
                    + e.getMessage());
        }
    }

    private static Map<String, Description> readManifest(TarReader tar, TarReader.Entry e, String at) {
        if (e.size() > MAX_MANIFEST_BYTES) {
            throw fail("release.import-too-large", ErrorKind.TOO_LARGE, at + ": the manifest has " + e.size()
                    + " bytes; at most " + MAX_MANIFEST_BYTES + " are accepted");
        }
        byte[] bytes;
        try {
            bytes = tar.content().readAllBytes();
        } catch (IOException x) {
            throw fail("release.import-malformed", ErrorKind.INVALID_INPUT, at + ": " + x.getMessage());
        }
        Map<String, Description> out = new LinkedHashMap<>();
        int line = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            line++;
            byte[] text = java.util.Arrays.copyOfRange(bytes, start, end);
            start = end + 1;
            if (new String(text, StandardCharsets.UTF_8).isBlank()) {
                continue;
            }
            String where = "manifest line " + line;
            JsonValue parsed;
            try {
                parsed = Json.parse(text, where);
            } catch (RuntimeException x) {
                throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, where + " is not a JSON object without"
                        + " floats: " + Shown.forAudit(x.getMessage(), 500));
            }
            if (!(parsed instanceof JsonValue.JsonObject o)) {
                throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, where + " is not a JSON object");
            }
            for (String key : o.members().keySet()) {
                if (!MANIFEST_FIELDS.contains(key)) {
                    throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, where + " has the unknown field "
                            + Shown.text(key) + " (known: path, version, hardwareIds, releaseCounter, custom)");
                }
            }
            if (!(o.get("path") instanceof JsonValue.JsonString path)) {
                throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, where + " needs \"path\" as a string");
            }
            String version = null;
            if (o.has("version")) {
                if (!(o.get("version") instanceof JsonValue.JsonString v)) {
                    throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, where + ": \"version\" is a string");
                }
                version = v.value();
            }
            List<String> hardwareIds = null;
            if (o.has("hardwareIds")) {
                if (!(o.get("hardwareIds") instanceof JsonValue.JsonArray a)
                        || !a.elements().stream().allMatch(x -> x instanceof JsonValue.JsonString)) {
                    throw fail("release.import-manifest", ErrorKind.INVALID_INPUT,
                            where + ": \"hardwareIds\" is an array of strings");
                }
                hardwareIds = a.elements().stream().map(x -> ((JsonValue.JsonString) x).value()).toList();
            }
            Long releaseCounter = null;
            if (o.has("releaseCounter")) {
                if (!(o.get("releaseCounter") instanceof JsonValue.JsonNumber n) || n.value().bitLength() >= 64) {
                    throw fail("release.import-manifest", ErrorKind.INVALID_INPUT,
                            where + ": \"releaseCounter\" is an integer");
                }
                releaseCounter = n.value().longValue();
            }
            String custom = null;
            if (o.has("custom")) {
                if (!(o.get("custom") instanceof JsonValue.JsonObject c)) {
                    throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, where + ": \"custom\" is an object");
                }
                custom = Releases.storedCustom(c);
            }
            if (out.put(path.value(), new Description(version, hardwareIds, releaseCounter, custom)) != null) {
                throw fail("release.import-manifest", ErrorKind.INVALID_INPUT, where + " describes "
                        + Shown.text(path.value()) + " a second time");
            }
        }
        return out;
    }

    private static RepositoryFailure fail(String code, ErrorKind kind, String message) {
        return new RepositoryFailure(code, kind, message);
    }
}
