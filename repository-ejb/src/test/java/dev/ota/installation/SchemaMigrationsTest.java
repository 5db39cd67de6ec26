package dev.ota.installation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaMigrationsTest {
    @Test
    void splitsScriptsAtLineEndingSemicolonsAndSkipsComments() {
        String script = "-- a comment\nCREATE TABLE a (\n  id INT\n);\n\nINSERT INTO a VALUES (1);\n";

        assertEquals(List.of("CREATE TABLE a (\n  id INT\n)", "INSERT INTO a VALUES (1)"),
                SchemaMigrations.statements(script));
    }

    @Test
    void everyScriptExistsForBothDatabasesInVersionOrder() {
        int previous = 0;
        for (String script : SchemaMigrations.SCRIPTS) {
            int version = SchemaMigrations.versionOf(script);
            // Rising, not contiguous: migration numbers are handed out to branches in parallel (V11 landed before
            // V9 and V10); once all are merged the list is contiguous again.
            assertTrue(version > previous, script);
            previous = version;
            for (String dialect : List.of("h2", "postgresql")) {
                assertNotNull(getClass().getClassLoader().getResource("META-INF/sql/" + dialect + "/" + script),
                        dialect + "/" + script);
            }
        }
    }
}
