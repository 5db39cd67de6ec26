package dev.ota.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetadataFileNameTest {
    @Test
    void readsVersionAndRoleFromConsistentSnapshotNames() {
        assertEquals(new MetadataFileName("root", Optional.of(1)), MetadataFileName.parse("1.root.json").orElseThrow());
        assertEquals(new MetadataFileName("releases-0a", Optional.of(12)),
                MetadataFileName.parse("12.releases-0a.json").orElseThrow());
    }

    @Test
    void readsUnversionedNamesAsTheCurrentVersion() {
        assertEquals(new MetadataFileName("timestamp", Optional.empty()),
                MetadataFileName.parse("timestamp.json").orElseThrow());
    }

    @Test
    void rejectsNamesThatCannotDenoteAStoredVersion() {
        for (String name : new String[] {"", "root", "0.root.json", "01.root.json", "9999999999.root.json",
                "1..json", ".json", "1.json", "x".repeat(400) + ".json"}) {
            assertTrue(MetadataFileName.parse(name).isEmpty(), name);
        }
    }
}
