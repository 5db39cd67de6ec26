package dev.ota.startup;

import dev.ota.account.Accounts;
import dev.ota.director.DirectorBootstrap;
import dev.ota.installation.DataDirectory;
import dev.ota.installation.InstallationLock;
import dev.ota.installation.SchemaMigrations;
import dev.ota.publishing.RepositoryBootstrap;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What every server does at start-up, in this order: bring the schema up to date, then, on an
 * empty database, bootstrap the TUF repository, then the director (also on a database from before it), and
 * create the first administrator. Each step does
 * nothing when its work is already done. Servers sharing one PostgreSQL database take turns for
 * the whole sequence ({@link InstallationLock}), so exactly one of them creates the schema, the
 * keys and version 1 of the metadata, and the others use what it created.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class FirstStart {
    @Resource(lookup = "jdbc/ota")
    private DataSource dataSource;

    @EJB
    private RepositoryBootstrap repository;

    @EJB
    private DirectorBootstrap director;

    @EJB
    private Accounts accounts;

    @PostConstruct
    void prepare() {
        // First of all, before this class opens the database: H2 (and whatever else wrote there
        // before us) created files with the process umask; from here on the data directory is owner-only.
        DataDirectory.restrictToOwner(DataDirectory.path());
        // No transaction here (bean-managed, none begun): migrations commit on this connection script
        // by script, and the two services run their own container transactions on other connections.
        try (Connection c = dataSource.getConnection()) {
            String dialect = SchemaMigrations.dialect(c);
            try (InstallationLock lock = InstallationLock.acquire(c, dialect)) {
                SchemaMigrations.migrate(c, dialect);
                repository.createIfAbsent();
                director.createIfAbsent();
                accounts.createFirstAdministratorIfNone();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database installation failed: " + e.getMessage(), e);
        }
        // Once more for h2/ only: on the very first start the connection above is what made H2 create it and
        // its files, with the umask's permissions (0750/0640 under umask 027), after the pass above ran. The
        // rest (blobs included) was walked above already; what the server itself creates is made owner-only.
        java.nio.file.Path h2 = DataDirectory.path().resolve("h2");
        if (java.nio.file.Files.isDirectory(h2)) {
            DataDirectory.restrictToOwner(h2);
        }
    }
}
