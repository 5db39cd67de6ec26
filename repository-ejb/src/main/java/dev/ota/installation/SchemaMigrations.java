package dev.ota.installation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Brings the database schema up to date from the versioned scripts under
 * {@code META-INF/sql/<database>/}, one transaction per script, recorded in {@code schema_version}.
 * Scripts are never edited once released: a change is a new script. Not an EJB of its own:
 * {@link FirstStart} runs it on the connection that holds the installation lock, so servers
 * starting together on one PostgreSQL database migrate one after the other.
 */
public final class SchemaMigrations {
    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    /** In order; the number before {@code __} is the schema version the script brings. */
    static final List<String> SCRIPTS = List.of(
            "V1__repository.sql",
            "V2__accounts_and_audit.sql",
            "V3__releases.sql",
            "V4__append_only_tables.sql",
            "V5__scheduled_jobs.sql",
            "V6__fleet.sql",
            "V7__saved_filters.sql",
            "V8__director.sql",
            "V9__release_counter.sql",
            "V10__audit_trail_indexes.sql",
            "V11__rollouts.sql",
            "V12__root_ceremonies.sql",
            "V13__rollout_windows_retries.sql",
            "V14__retired_keys.sql",
            "V15__rollout_deferral_alerts.sql",
            "V16__targets_ceremonies.sql",
            "V17__desired_config.sql",
            "V18__device_token_generation.sql",
            "V19__assignment_ids_in_order.sql",
            "V20__rollout_action_state.sql",
            "V21__device_report_state.sql");

    private SchemaMigrations() {
    }

    /** Applies every script newer than the recorded version, on {@code c} (autocommit restored after). */
    public static void migrate(Connection c, String dialect) throws SQLException {
        ensureVersionTable(c);
        int current = currentVersion(c);
        for (String script : SCRIPTS) {
            int version = versionOf(script);
            if (version > current) {
                apply(c, dialect, script, version);
                LOG.info(() -> "database schema migrated to version " + version + " (" + script + ")");
            }
        }
    }

    public static String dialect(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        if (product.contains("h2")) {
            return "h2";
        }
        if (product.contains("postgres")) {
            return "postgresql";
        }
        throw new IllegalStateException("unsupported database: " + product + " (use H2 or PostgreSQL)");
    }

    static int versionOf(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static void ensureVersionTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                    + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void apply(Connection c, String dialect, String script, int version) throws SQLException {
        List<String> statements = statements(read("META-INF/sql/" + dialect + "/" + script));
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            try (PreparedStatement record = c.prepareStatement(
                    "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                record.setInt(1, version);
                record.setString(2, script);
                record.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static String read(String resource) {
        try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a script at semicolons that end a line; lines starting with -- are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
