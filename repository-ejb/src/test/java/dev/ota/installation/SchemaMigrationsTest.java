package dev.ota.installation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
            assertEquals(previous + 1, version, script);
            previous = version;
            for (String dialect : List.of("h2", "postgresql")) {
                assertNotNull(getClass().getClassLoader().getResource("META-INF/sql/" + dialect + "/" + script),
                        dialect + "/" + script);
            }
        }
    }
}
