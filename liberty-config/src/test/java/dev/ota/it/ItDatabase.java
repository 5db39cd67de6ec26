package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The IT server's own database, for checks of what the server stored that no API shows. */
final class ItDatabase {
    private ItDatabase() {
    }

    /**
     * The execution's server database: on H2 through the AUTO_SERVER port the IT server's URL opens (the
     * file is locked by the server process), on PostgreSQL directly.
     */
    static Connection server() throws SQLException {
        String url = System.getenv("OTA_DB_URL");
        assertNotNull(url, "the failsafe execution names the server's database in OTA_DB_URL");
        String user = System.getenv("OTA_DB_USER");
        String password = System.getenv("OTA_DB_PASSWORD");
        return DriverManager.getConnection(url, user == null ? "" : user, password == null ? "" : password);
    }
}
