package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** Accounts for the ITs on one server: the first administrator, and new accounts with passwords. */
final class ItAccounts {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "it-admin-password-0123";

    private ItAccounts() {
    }

    /** The administrator's credentials; replaces the one-time password the first time. */
    static String[] admin(Http http) {
        String[] admin = Http.basic(ADMIN, ADMIN_PASSWORD);
        if (http.get("/portal/api/v1/account", admin).statusCode() == 200) {
            return admin;
        }
        try {
            String oneTime = Files.readString(Path.of(System.getProperty("ota.data.dir"), "initial-admin-password"))
                    .strip();
            return changeOneTimePassword(http, ADMIN, oneTime, ADMIN_PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new account with one role, its one-time password already replaced; returns the password. */
    static String createWithPassword(Http http, String user, String role) {
        String password = user + "-password-0123";
        changeOneTimePassword(http, user, createAccount(http, admin(http), user, role), password);
        return password;
    }

    static String createAccount(Http http, String[] admin, String user, String role) {
        HttpResponse<byte[]> created = http.postJson("/portal/api/v1/accounts",
                "{\"username\":\"" + user + "\",\"roles\":[\"" + role + "\"]}", admin);
        assertEquals(201, created.statusCode(), Http.text(created));
        return ((JsonValue.JsonString) ((JsonValue.JsonObject) Json.parse(created.body(), "account"))
                .get("oneTimePassword")).value();
    }

    static String[] changeOneTimePassword(Http http, String user, String oneTime, String next) {
        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/account/password",
                "{\"current\":\"" + oneTime + "\",\"next\":\"" + next + "\"}", Http.basic(user, oneTime));
        assertEquals(204, r.statusCode(), Http.text(r));
        return Http.basic(user, next);
    }
}
