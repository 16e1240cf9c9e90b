package org.tollguard.hub.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.ReviewHub;

/**
 * The review side's background jobs on a real hub whose agents report over HTTP: a canary report lowers its
 * reporter's trust and raises an alert; an enabled auto-listing rule lists and publishes, recorded as the rule,
 * and the reporters earn trust from it.
 */
class ReviewRulesIT {
    private ReviewHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = ReviewHub.start(Files.createTempDirectory("review-rules"), new MutableClock(Instant.now()));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void aCanaryReportLowersTrustRaisesAnAlertAndIsNeverListed() throws Exception {
        new Allowlist(hub.db()).add("203.0.113.99", "canary", "an address nobody ever uses", "operator:test");
        String credential = hub.enroll("careless-pbx", "west");
        hub.report(credential, "203.0.113.99", "UDP", "InvalidAccountID", 5);
        Alerts alerts = new Alerts(hub.db());
        await(() -> !alerts.open().isEmpty());
        assertTrue(alerts.open().get(0).message().contains("careless-pbx reported canary 203.0.113.99"),
                alerts.open().toString());
        Reporter reporter = reporter("careless-pbx");
        assertEquals(1, reporter.canaryHits());
        assertTrue(reporter.trust() < ReporterTrust.of(0, 0, 0), "trust lowered: " + reporter.trust());
        try {
            new Decisions(hub.db(), new org.tollguard.hub.listing.Approvals(hub.db(), "community"), Duration.ofDays(7),
                    Duration.ofDays(30), java.time.Clock.systemUTC())
                    .approve(List.of("203.0.113.99"), "operator:test", "trying anyway");
        } catch (IllegalArgumentException refused) {
            // either way it must not be listed
        }
        assertFalse(hub.publishedList().containsKey("203.0.113.99"));
    }

    @Test
    void aCanaryAddedLaterCatchesTheReportsAlreadyStoredOnce() throws Exception {
        String credential = hub.enroll("early-pbx", "east");
        hub.report(credential, "203.0.113.98", "UDP", "InvalidAccountID", 5);
        hub.report(credential, "198.51.100.44", "UDP", "InvalidAccountID", 5);
        new Allowlist(hub.db()).add("203.0.113.96/30", "canary", "a block nobody ever uses", "operator:test");
        Alerts alerts = new Alerts(hub.db());
        await(() -> !alerts.open().isEmpty());
        assertTrue(alerts.open().get(0).message().contains("early-pbx reported canary 203.0.113.98"),
                alerts.open().toString());
        Thread.sleep(2500); // further scans alert nothing again
        assertEquals(1, alerts.open().size(), alerts.open().toString());
        assertEquals(1, reporter("early-pbx").canaryHits());
    }

    @Test
    void anEnabledRuleListsRecordsItselfAndTheReportersEarnTrust() throws Exception {
        AutoRules rules = new AutoRules(hub.db(), null, "community", java.time.Clock.systemUTC());
        rules.save(new AutoRule("two-operators", 2, 0.2, Duration.ofHours(1), Duration.ofDays(1), true), "operator:admin");
        hub.report(hub.enroll("north-pbx", "north"), "192.0.2.77", "UDP", "InvalidAccountID", 5);
        Thread.sleep(1000);
        assertFalse(hub.publishedList().containsKey("192.0.2.77"), "one operator is not enough");
        hub.report(hub.enroll("south-pbx", "south"), "192.0.2.77", "UDP", "InvalidAccountID", 5);
        hub.awaitPublished(list -> list.containsKey("192.0.2.77"));

        List<AuditEntry> audit = new AuditLog(hub.db().dataSource()).about("192.0.2.77", 10);
        assertEquals("rule:two-operators", audit.get(0).actor(), audit.toString());
        assertEquals("approved", audit.get(0).action());
        assertEquals(ReporterTrust.of(1, 0, 0), reporter("north-pbx").trust(), 1e-9);
        assertEquals(ReporterTrust.of(1, 0, 0), reporter("south-pbx").trust(), 1e-9);
    }

    private Reporter reporter(String site) throws Exception {
        return new Reporters(hub.db()).all().stream().filter(r -> r.site().equals(site)).findFirst().orElseThrow();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within 10 s");
            }
            Thread.sleep(100);
        }
    }
}
