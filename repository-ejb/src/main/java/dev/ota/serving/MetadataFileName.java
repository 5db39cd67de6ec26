package dev.ota.serving;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name under {@code /metadata/}: {@code N.ROLE.json} (consistent snapshot, immutable) or
 * {@code ROLE.json} (the current version). {@code version} is empty for the unversioned form.
 */
record MetadataFileName(String role, Optional<Integer> version) {
    // Up to 9 digits: any int version fits; longer numbers cannot name a stored version.
    private static final Pattern VERSIONED = Pattern.compile("([1-9][0-9]{0,8})\\.(.+)\\.json");
    private static final Pattern UNVERSIONED = Pattern.compile("(.+)\\.json");

    /** Empty when the name cannot denote any metadata file (so the answer is 404, not an error). */
    static Optional<MetadataFileName> parse(String name) {
        if (name == null || name.isEmpty() || name.length() > 300) {
            return Optional.empty();
        }
        Matcher v = VERSIONED.matcher(name);
        if (v.matches()) {
            return Optional.of(new MetadataFileName(v.group(2), Optional.of(Integer.parseInt(v.group(1)))));
        }
        Matcher u = UNVERSIONED.matcher(name);
        if (u.matches() && !Character.isDigit(name.charAt(0))) {
            return Optional.of(new MetadataFileName(u.group(1), Optional.empty()));
        }
        return Optional.empty();
    }
}
