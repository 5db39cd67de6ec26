package dev.ota.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.publishing.RoleExpiry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpiryReportTest {
    private static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);
    private static final Duration MONTH = Duration.ofDays(30);

    private static RoleExpiry role(String name, Duration left, Duration margin, boolean serverCanResign) {
        return new RoleExpiry(name, 3, NOW.plus(left), margin, serverCanResign);
    }

    private static ExpiryReport assess(RoleExpiry... roles) {
        return ExpiryReport.assess(List.of(roles), NOW.minusSeconds(30), null, NOW, GRACE);
    }

    @Test
    void offlineRootInsideItsWarningWindowWarnsButKeepsTheServerReady() {
        ExpiryReport r = assess(role("root", Duration.ofDays(20), MONTH, false),
                role("timestamp", Duration.ofHours(20), Duration.ofHours(12), true));

        assertEquals("NEEDS_OFFLINE_SIGNING", r.roles().get(0).condition());
        assertEquals("VALID", r.roles().get(1).condition());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("root expires at 2030-06-21T00:00:00Z"), r.warnings().get(0));
        assertTrue(r.ready(), "metadata is still valid: no server should leave the load balancer");
    }

    @Test
    void offlineRootInsideAConfiguredWarningTimeNamesWhoMustSignByWhen() {
        // Warned 60 days ahead although the margin is 30: the officers hear of it a month earlier.
        RoleExpiry root = new RoleExpiry("root", 3, NOW.plus(Duration.ofDays(50)), MONTH, false, Duration.ofDays(60), 2,
                List.of("offline key aaaa", "offline key bbbb", "offline key cccc"));
        ExpiryReport r = assess(root);

        ExpiryReport.Condition c = r.roles().get(0);
        assertEquals("NEEDS_OFFLINE_SIGNING", c.condition());
        assertEquals(NOW.plus(Duration.ofDays(50)), c.signBy());
        assertEquals(List.of("2 of offline key aaaa, offline key bbbb, offline key cccc must sign a new root by "
                + NOW.plus(Duration.ofDays(50))), r.signingNeeded());
        assertFalse(c.warning().contains("offline key"), "the public warning names no key: " + c.warning());
    }

    @Test
    void aRoleTheServerSignsWarnsWhenInsideItsWarningTimeBeforeItIsDue() {
        RoleExpiry targets = new RoleExpiry("targets", 3, NOW.plus(Duration.ofDays(40)), MONTH, true,
                Duration.ofDays(45), 1, List.of("this server"));
        ExpiryReport r = assess(targets);

        assertEquals("EXPIRING", r.roles().get(0).condition());
        assertNull(r.roles().get(0).signBy(), "the server renews it: nobody must sign");
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("re-signs it from " + NOW.plus(Duration.ofDays(10))), r.warnings().get(0));
        assertEquals(List.of(), r.signingNeeded());
    }

    @Test
    void offlineRootOutsideItsWarningWindowIsQuiet() {
        ExpiryReport r = assess(role("root", Duration.ofDays(31), MONTH, false));
        assertEquals("VALID", r.roles().get(0).condition());
        assertEquals(List.of(), r.warnings());
        assertNull(r.roles().get(0).warning());
    }

    @Test
    void aRoleTheServerSignsIsQuietlyDueUntilTheGraceOfTwoChecksHasPassed() {
        // Due since 1 minute (margin 12 h, 11 h 59 min left): the next check re-signs it.
        ExpiryReport due = assess(role("timestamp", Duration.ofHours(12).minusMinutes(1), Duration.ofHours(12), true));
        assertEquals("DUE", due.roles().get(0).condition());
        assertEquals(List.of(), due.warnings());

        // Due since 5 minutes and still not re-signed: the refresh is failing.
        ExpiryReport stuck = assess(role("timestamp", Duration.ofHours(12).minusMinutes(5), Duration.ofHours(12), true));
        assertEquals("NOT_RENEWED", stuck.roles().get(0).condition());
        assertEquals(1, stuck.warnings().size());
        assertTrue(stuck.ready());
    }

    @Test
    void anExpiredRoleMakesTheServerNotReady() {
        ExpiryReport r = assess(role("root", Duration.ofDays(300), MONTH, true),
                role("timestamp", Duration.ofSeconds(-1), Duration.ofHours(12), true));
        assertEquals("EXPIRED", r.roles().get(1).condition());
        assertTrue(r.expired());
        assertFalse(r.ready());
        assertTrue(r.warnings().get(0).startsWith("timestamp expired at"), r.warnings().get(0));
    }

    @Test
    void beforeAnyCheckTheServerIsNotReadyAndSaysWhy() {
        ExpiryReport r = ExpiryReport.assess(List.of(), null, NOW.minusSeconds(5), NOW, GRACE);
        assertFalse(r.ready());
        assertTrue(r.warnings().get(0).startsWith("no expiry check has succeeded"), r.warnings().get(0));
    }

    @Test
    void aFailedCheckAfterAGoodOneWarnsAndJudgesTheLastKnownExpiries() {
        ExpiryReport r = ExpiryReport.assess(List.of(role("timestamp", Duration.ofHours(20), Duration.ofHours(12), true)),
                NOW.minusSeconds(120), NOW.minusSeconds(60), NOW, GRACE);
        assertTrue(r.ready());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("the last expiry check failed"), r.warnings().get(0));
        // An hour past the last known expiry, the stale facts say it is expired: not ready.
        ExpiryReport later = ExpiryReport.assess(r.roles().stream().map(ExpiryReport.Condition::role).toList(),
                NOW.minusSeconds(120), NOW.minusSeconds(60), NOW.plus(Duration.ofHours(21)), GRACE);
        assertFalse(later.ready());
    }
}
