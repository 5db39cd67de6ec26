package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Accounts and sign-in on the real server, each test named after what the security probe sent:
 * password guessing, a session cookie kept past a password change, weak passwords, cookies without
 * SameSite or a renewed id, malformed Basic headers, and refusals that were not audited.
 */
@ExtendWith(ArquillianExtension.class)
class AccountSecurityIT {
    private static final String ACCOUNT = "/portal/api/v1/account";
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("ota.ear.file"));
        assertTrue(ear.isFile(), "the EAR must be built before the ITs: " + ear);
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
    }

    /** A name of its own per run: the ITs may run again on a server that kept its database. */
    private static String unique(String name) {
        return name + "-" + Long.toString(System.nanoTime() % 2_000_000_000L, 36);
    }

    /** As a client behind the loopback proxy the server believes: it says HTTPS and for whom. */
    private static String[] from(String address, String[] credentials) {
        return new String[] {credentials[0], credentials[1], "X-Forwarded-Proto", "https", "X-Forwarded-For", address};
    }

    @Test
    void oneMinuteOfBasicPasswordGuessingFromOneAddressIsAnswered429WithRetryAfter() throws InterruptedException {
        String user = unique("guessed");
        String password = ItAccounts.createWithPassword(http, user, "auditor");
        Http api = Http.https();

        // One minute of the server's time: each 429 moves its clock on by the Retry-After it asked for, as an
        // attacker who waits exactly that long before the next guess would.
        Duration minute = Duration.ofMinutes(1);
        Duration waited = Duration.ZERO;
        long start = System.nanoTime();
        int checked = 0;
        int throttled = 0;
        HttpResponse<byte[]> last429 = null;
        for (int i = 0; waited.plusNanos(System.nanoTime() - start).compareTo(minute) < 0; i++) {
            HttpResponse<byte[]> r = api.get(ACCOUNT, from("203.0.113.50", Http.basic(user, "guess-number-" + i)));
            if (r.statusCode() == 429) {
                throttled++;
                last429 = r;
                Duration retryAfter = Duration.ofSeconds(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()));
                assertTrue(retryAfter.toSeconds() >= 1, "Retry-After " + retryAfter);
                serverClock.advance(retryAfter);
                waited = waited.plus(retryAfter);
            } else {
                assertEquals(401, r.statusCode(), Http.text(r));
                checked++;
            }
        }
        System.out.printf("AccountSecurityIT: an attacker at one address checked %d passwords against one account "
                + "in one minute of the server's time (%d refusals 429 unchecked, each waited out)%n", checked, throttled);

        assertTrue(checked <= 15, "guesses checked in a minute: " + checked);
        assertNotNull(last429);
        assertTrue(Http.text(last429).contains("\"code\":\"auth.throttled\""), Http.text(last429));
        assertTrue(last429.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

        // The real user, elsewhere, waits at most the account's cap of 30 seconds.
        HttpResponse<byte[]> owner = api.get(ACCOUNT, from("198.51.100.20", Http.basic(user, password)));
        if (owner.statusCode() == 429) {
            long wait = Long.parseLong(owner.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(wait <= 30, "the account's user waits " + wait + " s");
            serverClock.advance(Duration.ofSeconds(wait));
            owner = api.get(ACCOUNT, from("198.51.100.20", Http.basic(user, password)));
        }
        assertEquals(200, owner.statusCode(), Http.text(owner));
    }

    @Test
    void portalSignInGuessingIsAnswered429WithRetryAfter() {
        String user = unique("portalguess");
        ItAccounts.createWithPassword(http, user, "auditor");
        PortalSession portal = new PortalSession();

        HttpResponse<String> last = null;
        for (int i = 0; i < 12 && (last == null || last.statusCode() != 429); i++) {
            last = portal.signIn(user, "wrong-guess-" + i);
        }

        assertEquals(429, last.statusCode());
        assertTrue(last.headers().firstValue("Retry-After").isPresent());
        assertTrue(last.body().contains("Too many failed sign-ins"), last.body());
    }

    @Test
    void theOldPortalCookieOpensNothingAfterAPasswordChange() {
        String user = unique("cookiekeeper");
        String password = ItAccounts.createWithPassword(http, user, "auditor");
        PortalSession stolen = new PortalSession();
        stolen.signIn(user, password);
        assertEquals(200, stolen.get("/portal/app/status.xhtml").statusCode());
        String ltpa = stolen.cookie("LtpaToken2");
        assertNotNull(ltpa);

        ItAccounts.changeOneTimePassword(http, user, password, "a-fresh-Choice-8472-of-" + user);
        HttpResponse<String> withOldCookies = stolen.get("/portal/app/status.xhtml");
        HttpResponse<byte[]> withOldLtpaOnly = http.get("/portal/app/status.xhtml", "Cookie", "LtpaToken2=" + ltpa);

        assertEquals(302, withOldCookies.statusCode());
        assertTrue(withOldCookies.headers().firstValue("Location").orElse("").endsWith("/portal/login.xhtml"));
        assertEquals(302, withOldLtpaOnly.statusCode());
        assertTrue(withOldLtpaOnly.headers().firstValue("Location").orElse("").endsWith("/portal/login.xhtml"));
    }

    @Test
    void theSameCookieJarSignsInAgainAfterAPasswordChangeEndedItsSession() {
        String user = unique("signinagain");
        String password = ItAccounts.createWithPassword(http, user, "auditor");
        String next = "a-fresh-Choice-5931-of-" + user;
        PortalSession portal = new PortalSession();
        portal.signIn(user, password);
        assertEquals(200, portal.get("/portal/app/status.xhtml").statusCode());
        ItAccounts.changeOneTimePassword(http, user, password, next);

        HttpResponse<String> ended = portal.get("/portal/app/status.xhtml");
        String keptLtpa = portal.cookie("LtpaToken2");
        HttpResponse<String> signedIn = portal.signIn(user, next);

        // The ended sign-in's LtpaToken2 is expired in the client: sent on, it ended the next sign-in too.
        assertEquals(302, ended.statusCode());
        assertTrue(ended.headers().allValues("Set-Cookie").stream().map(c -> HttpCookie.parse(c).get(0))
                .anyMatch(c -> c.getName().equals("LtpaToken2") && c.hasExpired() && "/".equals(c.getPath())),
                ended.headers().allValues("Set-Cookie").toString());
        assertNull(keptLtpa);
        assertEquals(302, signedIn.statusCode(), signedIn.body());
        assertTrue(signedIn.headers().firstValue("Location").orElse("").endsWith("/portal/app/home.xhtml"),
                signedIn.headers().toString());
        assertEquals(200, portal.get("/portal/app/status.xhtml").statusCode());
    }

    @Test
    void signInRenewsTheSessionIdAndSessionCookiesAreSameSiteStrictAndHttpOnly() {
        String user = unique("cookieflags");
        String password = ItAccounts.createWithPassword(http, user, "auditor");
        PortalSession portal = new PortalSession();
        portal.get("/portal/login.xhtml");
        String before = portal.cookie("JSESSIONID");
        assertNotNull(before);

        HttpResponse<String> signedIn = portal.signIn(user, password);

        assertNotEquals(before, portal.cookie("JSESSIONID"), "a fixed session id must not become a signed-in one");
        List<String> setCookies = signedIn.headers().allValues("Set-Cookie");
        for (String name : List.of("JSESSIONID", "LtpaToken2")) {
            String cookie = setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not set at sign-in: " + setCookies));
            assertTrue(cookie.toLowerCase().contains("samesite=strict"), cookie);
            assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
        }
    }

    @Test
    void overHttpsSessionAndSignInCookiesAreSecureAndOverLoopbackHttpSignInStillWorks() {
        String user = unique("securecookie");
        String password = ItAccounts.createWithPassword(http, user, "auditor");

        PortalSession tls = PortalSession.https();
        List<String> pageCookies = tls.get("/portal/login.xhtml").headers().allValues("Set-Cookie");
        HttpResponse<String> signedIn = tls.signIn(user, password);

        assertEquals(302, signedIn.statusCode(), signedIn.body());
        assertEquals(Set.of("secure", "httponly", "samesite=strict"), flags(setCookie(pageCookies, "JSESSIONID")),
                "the session cookie of the login page");
        for (String name : List.of("JSESSIONID", "LtpaToken2")) {
            assertEquals(Set.of("secure", "httponly", "samesite=strict"),
                    flags(setCookie(signedIn.headers().allValues("Set-Cookie"), name)), name + " at sign-in");
        }
        assertEquals(200, tls.get("/portal/app/status.xhtml").statusCode(), "the Secure cookies come back over HTTPS");

        // Plain HTTP from loopback stays usable: there a Secure cookie would never be sent back.
        PortalSession loopback = new PortalSession();
        HttpResponse<String> plainSignIn = loopback.signIn(user, password);
        assertEquals(302, plainSignIn.statusCode(), plainSignIn.body());
        assertFalse(flags(setCookie(plainSignIn.headers().allValues("Set-Cookie"), "LtpaToken2")).contains("secure"));
        assertEquals(200, loopback.get("/portal/app/status.xhtml").statusCode());
    }

    private static String setCookie(List<String> setCookies, String name) {
        List<String> named = setCookies.stream().filter(c -> c.startsWith(name + "=")).toList();
        assertEquals(1, named.size(), name + " set once: " + setCookies);
        return named.get(0);
    }

    /** The attributes of a Set-Cookie value that take no value, and SameSite, lower case. */
    private static Set<String> flags(String setCookie) {
        return Arrays.stream(setCookie.split(";")).skip(1).map(a -> a.strip().toLowerCase(Locale.ROOT))
                .filter(a -> !a.contains("=") || a.startsWith("samesite=")).collect(Collectors.toSet());
    }

    @Test
    void weakPasswordsAreRefusedWithASentenceSayingWhy() {
        String user = unique("weakling");
        String oneTime = ItAccounts.createAccount(http, ItAccounts.admin(http), user, "auditor");
        String[] credentials = Http.basic(user, oneTime);

        for (String weak : List.of("            ", "aaaaaaaaaaaa", "password1234", user + user, "x7#Kq".repeat(400))) {
            HttpResponse<byte[]> r = http.postJson(ACCOUNT + "/password",
                    "{\"current\":\"" + oneTime + "\",\"next\":\"" + weak + "\"}", credentials);
            assertEquals(400, r.statusCode(), weak + ": " + Http.text(r));
            assertTrue(Http.text(r).contains("\"code\":\"account.weak-password\""), Http.text(r));
            if (weak.length() > 1000) {
                assertTrue(Http.text(r).contains("at most 128 characters"), Http.text(r));
            }
        }
    }

    @Test
    void basicHeadersWithoutUserAndPasswordAreAudited() {
        http.get(ACCOUNT, "Authorization", "Basic Zm9v");
        http.get(ACCOUNT, "Authorization", "Basic !!!");

        assertTrue(audit().contains("malformed Basic credentials"));
    }

    /**
     * Liberty reads a Basic header itself after the mechanism decided (for its audit record) and cut it
     * at the colon without checking there is one: a 500 and an FFDC file per request, on the API and
     * on every page alike (ContainerBasicHeader says why and how it is kept from doing so).
     */
    @Test
    void basicHeadersWithoutUserAndPasswordAre401JsonAndWriteNoFfdc() throws IOException {
        Set<Path> ffdcBefore = ffdcFiles();

        for (String header : List.of("Basic Zm9v", "Basic !!!")) {
            HttpResponse<byte[]> r = http.get(ACCOUNT, "Authorization", header);
            assertEquals(401, r.statusCode(), header);
            assertTrue(Http.text(r).contains("\"code\":\"auth.malformed\""), header + ": " + Http.text(r));

            // Pages take no Basic credentials: the header changes nothing there.
            HttpResponse<byte[]> login = http.get("/portal/login.xhtml", "Authorization", header);
            assertEquals(200, login.statusCode(), header + ": " + Http.text(login));
            HttpResponse<byte[]> page = http.get("/portal/app/status.xhtml", "Authorization", header);
            assertEquals(302, page.statusCode(), header + ": " + Http.text(page));
            assertTrue(page.headers().firstValue("Location").orElse("").endsWith("/portal/login.xhtml"), header);
        }

        assertEquals(ffdcBefore, ffdcFiles(), "no FFDC file for a malformed header");
    }

    /**
     * The device API (no authentication mechanism, no user registry) took any Basic header to a file
     * as a sign-in to attempt: Liberty's BASIC login found no registry and wrote an FFDC file
     * (RegistryException) per request, on the port devices and the internet reach.
     */
    @Test
    void credentialsSentToTheDeviceApiAreIgnoredAndWriteNoFfdc() throws IOException {
        int plain = http.get("/metadata/timestamp.json").statusCode();
        Set<Path> ffdcBefore = ffdcFiles();

        for (String[] credentials : List.of(Http.basic("someone", "a-guess-0123"), Http.basic("admin", ""),
                new String[] {"Authorization", "Basic Zm9v"}, new String[] {"Authorization", "Basic !!!"},
                Http.bearer("ota_not-a-token"))) {
            HttpResponse<byte[]> r = http.get("/metadata/timestamp.json", credentials);
            assertEquals(plain, r.statusCode(), credentials[1] + ": " + Http.text(r));
        }

        assertEquals(ffdcBefore, ffdcFiles(), "no FFDC file for credentials the device API does not use");
    }

    @Test
    void basicUserNameEndingInAnEmojiIs401AndTheAttemptIsAudited() {
        // 101 UTF-16 units: the audit log's cut at 100 fell between the emoji's two halves.
        String name = "a".repeat(98) + "\uD83D\uDE00" + "b";
        String header = "Basic " + Base64.getEncoder().encodeToString((name + ":whatever-0123")
                .getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> r = http.get(ACCOUNT, "Authorization", header);

        assertEquals(401, r.statusCode(), Http.text(r));
        assertTrue(audit().contains("a".repeat(98)), "the refused sign-in is in the audit log");
    }

    @Test
    void accountWithANullRoleIs400AndTheRefusalIsAudited() {
        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/accounts", "{\"username\":\"nullrole\",\"roles\":[null]}",
                ItAccounts.admin(http));

        assertEquals(400, r.statusCode(), Http.text(r));
        // The strict body reader refuses it before the service sees it, naming the field.
        assertTrue(Http.text(r).contains("\"code\":\"request.malformed\""), Http.text(r));
        assertTrue(Http.text(r).contains("roles[0]"), Http.text(r));
        String audit = audit();
        assertTrue(audit.contains("\"action\":\"request.malformed\"") && audit.contains("POST /portal/api/v1/accounts"),
                audit);
    }

    @Test
    void theInitialAdminPasswordFileIsGoneOnceThePasswordWasChanged() {
        ItAccounts.admin(http);

        assertFalse(Files.exists(Path.of(System.getProperty("ota.data.dir"), "initial-admin-password")));
    }

    private String audit() {
        return Http.text(http.get("/portal/api/v1/audit?limit=1000", ItAccounts.admin(http)));
    }

    private static Set<Path> ffdcFiles() throws IOException {
        Path dir = Path.of(System.getProperty("wlp.home"), "usr", "servers", System.getProperty("ota.it.server.name"),
                "logs", "ffdc");
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toSet());
        }
    }
}
