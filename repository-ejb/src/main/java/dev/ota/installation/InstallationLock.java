package dev.ota.installation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * Makes servers that share one PostgreSQL database install one after the other: a session-level
 * advisory lock on the connection {@link FirstStart} keeps open for the whole installation
 * (migrations, repository bootstrap, first administrator). A server that starts while another one
 * installs waits, then finds the schema current, the repository and keystore created and the
 * administrator present, and uses them.
 * <p>
 * Session-level, not transaction-level: migrations commit script by script and the later steps
 * run in their own transactions on other connections, so only a lock owned by the session spans
 * them all. Pooled connections are not closed when handed back, so {@link #close()} unlocks
 * explicitly; if the server dies, PostgreSQL ends its session and drops the lock with it.
 * H2 needs none: its database file is opened by one process only.
 */
public final class InstallationLock implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InstallationLock.class.getName());
    /** Any fixed number works; advisory locks are per database. These are the bytes of "ota-inst". */
    static final long KEY = 0x6f74612d696e7374L;

    private final Connection connection;

    private InstallationLock(Connection connection) {
        this.connection = connection;
    }

    /** Takes the lock on PostgreSQL (waiting as long as another server installs); nothing on H2. */
    public static InstallationLock acquire(Connection c, String dialect) throws SQLException {
        if (!"postgresql".equals(dialect)) {
            return new InstallationLock(null);
        }
        if (!call(c, "SELECT pg_try_advisory_lock(?)")) {
            LOG.info("another server is installing or upgrading this database; waiting for it to finish");
            call(c, "SELECT pg_advisory_lock(?) IS NULL");
            LOG.info("the other server's installation is done; continuing with what it created");
        }
        return new InstallationLock(c);
    }

    @Override
    public void close() throws SQLException {
        if (connection != null && !call(connection, "SELECT pg_advisory_unlock(?)")) {
            LOG.warning("the installation lock was not held at the end of the installation");
        }
    }

    /**
     * Runs a one-value boolean query with the key. pg_advisory_lock returns void, which JDBC cannot
     * read as a boolean; {@code IS NULL} turns it into one, and its value is not used.
     */
    private static boolean call(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, KEY);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
