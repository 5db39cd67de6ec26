package dev.ota.installation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.persistence.SequenceGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * EclipseLink hands out {@code allocationSize} ids per {@code nextval}: a database sequence advancing by less would
 * give two servers the same ids, by more only wastes them. And rows whose newest is chosen by id must take one id at
 * a time, or a later row made on one server can lose to an earlier one made on another.
 */
class SequenceIncrementsTest {
    private static final Pattern CREATE = Pattern.compile(
            "CREATE SEQUENCE (\\w+)(?: START WITH \\d+)? INCREMENT BY (\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ALTER = Pattern.compile(
            "ALTER SEQUENCE (\\w+) INCREMENT BY (\\d+)", Pattern.CASE_INSENSITIVE);

    @Test
    void everyEntitySequenceAdvancesByItsAllocationSizeInBothDatabases() throws Exception {
        Map<String, Integer> allocation = allocationSizes();
        assertFalse(allocation.isEmpty(), "no entity with a sequence found under target/classes");
        for (String dialect : List.of("h2", "postgresql")) {
            Map<String, Integer> increments = increments(dialect);
            allocation.forEach((sequence, size) -> assertEquals(size, increments.get(sequence),
                    dialect + ": sequence " + sequence + " after every migration, against the entity's allocationSize"));
        }
    }

    @Test
    void assignmentsAndDesiredConfigurationsTakeOneIdAtATime() throws Exception {
        Map<String, Integer> allocation = allocationSizes();
        assertEquals(1, allocation.get("director_assignment_seq"));
        assertEquals(1, allocation.get("desired_config_seq"));
    }

    private static Map<String, Integer> increments(String dialect) throws IOException {
        Map<String, Integer> increments = new HashMap<>();
        for (String script : SchemaMigrations.SCRIPTS) {
            String sql;
            try (InputStream in = SequenceIncrementsTest.class.getClassLoader()
                    .getResourceAsStream("META-INF/sql/" + dialect + "/" + script)) {
                assertNotNull(in, dialect + "/" + script);
                sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String statement : SchemaMigrations.statements(sql)) {
                for (Pattern p : List.of(CREATE, ALTER)) {
                    Matcher m = p.matcher(statement.replaceAll("\\s+", " ").trim());
                    if (m.lookingAt()) increments.put(m.group(1).toLowerCase(), Integer.parseInt(m.group(2)));
                }
            }
        }
        return increments;
    }

    private static Map<String, Integer> allocationSizes() throws Exception {
        Path classes = Path.of("target/classes");
        Map<String, Integer> sizes = new HashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, SequenceIncrementsTest.class.getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                SequenceGenerator generator = field.getAnnotation(SequenceGenerator.class);
                if (generator != null) sizes.put(generator.sequenceName().toLowerCase(), generator.allocationSize());
            }
        }
        return sizes;
    }
}
