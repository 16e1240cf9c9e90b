package org.tollguard.hub.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.ReviewHub;

/**
 * The queue is read from summaries that triggers keep (migrations V202, V204): every writer that changes whether an
 * address is pending, or its score, must show on the next page view, grouped or not, exactly as a computation from
 * the reports says ({@link QueueFromReports}), and concurrent intake must add up.
 */
class QueueSummaryIT {
    private ReviewHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = ReviewHub.start(Files.createTempDirectory("queue-summary"), new MutableClock(Instant.now()));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void everyWriterShowsOnTheNextPageView() throws Exception {
        ReviewQueue queue = new ReviewQueue(hub.db(), "community", Duration.ofDays(7));
        Decisions decisions = new Decisions(hub.db(), new Approvals(hub.db(), "community"), Duration.ofDays(7),
                Duration.ofDays(30), java.time.Clock.systemUTC());
        String north = hub.enroll("north-pbx", "north");
        String south = hub.enroll("south-pbx", "south");
        hub.report(north, "198.51.100.7", "UDP", "InvalidAccountID", 5);
        hub.report(north, "198.51.100.8", "UDP", "InvalidAccountID", 5);
        Candidate first = candidate(queue, "198.51.100.7").orElseThrow();
        assertEquals(1, first.operators());
        assertEquals(0.125, first.score(), 1e-9, "new reporter 0.25, UDP only: half");

        hub.report(south, "198.51.100.7", "TCP", "InvalidAccountID", 3);
        Candidate second = candidate(queue, "198.51.100.7").orElseThrow();
        assertEquals(2, second.operators());
        assertEquals(2, second.reports());
        assertEquals(8, second.failures());
        assertEquals(List.of("TCP", "UDP"), second.transports());
        assertEquals(0.5, second.score(), 1e-9, "two new reporters, TCP: not spoofed");

        decisions.reject(List.of("198.51.100.7"), "operator:test", "a carrier");
        assertTrue(candidate(queue, "198.51.100.7").isEmpty(), "rejected leaves the queue");
        assertEquals(ReporterTrust.of(0, 1, 0) * 0.5, candidate(queue, "198.51.100.8").orElseThrow().score(), 1e-9,
                "the rejection lowered north's trust, and so the score of what else north reported");
        hub.report(north, "198.51.100.7", "UDP", "InvalidAccountID", 5);
        assertEquals(3, candidate(queue, "198.51.100.7").orElseThrow().reports(), "reported again: back");

        Allowlist allowlist = new Allowlist(hub.db());
        allowlist.add("198.51.100.0/24", "carrier", "a carrier's block", "operator:test");
        assertTrue(candidate(queue, "198.51.100.7").isEmpty(), "allowlisted");
        assertEquals(List.of(), queue.pendingAddresses(Grouping.BLOCK, List.of("198.51.100.0/24")));
        long id = allowlist.entries().stream().filter(e -> e.network().equals("198.51.100.0/24")).findFirst()
                .orElseThrow().id();
        allowlist.remove(id, "operator:test");
        assertEquals(List.of("198.51.100.7", "198.51.100.8"),
                queue.pendingAddresses(Grouping.BLOCK, List.of("198.51.100.0/24")));

        decisions.approve(List.of("198.51.100.8"), "operator:test", "brute force");
        assertTrue(candidate(queue, "198.51.100.8").isEmpty(), "listed");
        QueuePage block = queue.page(new QueueQuery(Grouping.BLOCK, "198.51.100.0/24", 0, false,
                QueueQuery.Sort.SCORE, 1, 50));
        assertEquals(1, block.total());
        Candidate group = block.candidates().get(0);
        assertEquals(1, group.addresses());
        assertEquals(2, group.operators());
        assertEquals(2, group.sites());
        assertEquals(3, group.reports());
        assertEquals(List.of("TCP", "UDP"), group.transports());
        assertEquals(candidate(queue, "198.51.100.7").orElseThrow().score(), group.score(), 1e-9);
    }

    @Test
    void groupedViewsMatchAComputationFromTheReports() throws Exception {
        Duration week = Duration.ofDays(7);
        ReviewQueue queue = new ReviewQueue(hub.db(), "community", week);
        Decisions decisions = new Decisions(hub.db(), new Approvals(hub.db(), "community"), week,
                Duration.ofDays(30), java.time.Clock.systemUTC());
        List<String> sites = List.of(hub.enroll("north-pbx", "north"), hub.enroll("north-pbx-2", "north"),
                hub.enroll("south-pbx", "south"), hub.enroll("east-pbx", "east"));
        // two /24s of one /16, another /16; IPv6: two addresses of one /48, another /48 of the same /32
        List<String> addresses = List.of("198.51.100.7", "198.51.100.8", "198.51.101.9", "192.0.2.1",
                "2001:db8:1::5", "2001:db8:1::6", "2001:db8:2::7");
        for (int i = 0; i < addresses.size(); i++) {
            for (int n = 0; n <= i % 3; n++) {
                hub.report(sites.get((i + n) % sites.size()), addresses.get(i), n == 1 ? "TCP" : "UDP",
                        n == 2 ? "wrong-password" : "InvalidAccountID", 2 + i + n);
            }
        }
        assertFalse(QueueFromReports.candidates(hub.db(), "community", week, Grouping.NETWORK).isEmpty());
        assertGroupedViewsMatchTheReports(queue, "community", week, "intake");

        decisions.reject(List.of("198.51.100.7"), "operator:test", "a carrier");
        assertGroupedViewsMatchTheReports(queue, "community", week, "a rejection (and the trust it took)");
        hub.report(sites.get(2), "198.51.100.7", "UDP", "InvalidAccountID", 4);
        assertGroupedViewsMatchTheReports(queue, "community", week, "a report after the rejection");

        Allowlist allowlist = new Allowlist(hub.db());
        allowlist.add("198.51.101.0/24", "carrier", "a carrier's block", "operator:test");
        assertGroupedViewsMatchTheReports(queue, "community", week, "allowlisting");
        long id = allowlist.entries().stream().filter(e -> e.network().equals("198.51.101.0/24")).findFirst()
                .orElseThrow().id();
        hub.report(sites.get(0), "198.51.101.10", "TCP", "InvalidAccountID", 3);
        assertGroupedViewsMatchTheReports(queue, "community", week, "a first report of an allowlisted address");
        allowlist.remove(id, "operator:test");
        assertGroupedViewsMatchTheReports(queue, "community", week, "the allowlist entry removed");

        decisions.approve(List.of("2001:db8:1::5", "192.0.2.1"), "operator:test", "brute force");
        assertGroupedViewsMatchTheReports(queue, "community", week, "listing (and the trust it gave)");
        hub.report(sites.get(3), "192.0.2.1", "UDP", "InvalidAccountID", 6);
        hub.report(sites.get(1), "2001:db8:1::5", "UDP", "InvalidAccountID", 6);
        assertGroupedViewsMatchTheReports(queue, "community", week, "listed addresses reported by other sites");

        insert("INSERT INTO reporter_stats (site_id, canary_hits) SELECT max(id), 1 FROM site"
                + " ON CONFLICT (site_id) DO UPDATE SET canary_hits = reporter_stats.canary_hits + 1");
        assertGroupedViewsMatchTheReports(queue, "community", week, "a canary hit");

        assertGroupedViewsMatchTheReports(new ReviewQueue(hub.db(), "other", week), "other", week,
                "a queue for another list");
        assertGroupedViewsMatchTheReports(queue, "community", week, "back to the hub's list");
    }

    @Test
    void reportsLeaveTheQueueWithTheWindow() throws Exception {
        ReviewQueue queue = new ReviewQueue(hub.db(), "community", Duration.ofSeconds(4));
        hub.report(hub.enroll("north-pbx", "north"), "198.51.100.9", "UDP", "InvalidAccountID", 5);
        Thread.sleep(2500);
        hub.report(hub.enroll("south-pbx", "south"), "198.51.100.9", "TCP", "InvalidAccountID", 3);
        assertEquals(2, candidate(queue, "198.51.100.9").orElseThrow().operators());
        assertGroupedViewsMatchTheReports(queue, "community", queue.window(), "two reports");
        Thread.sleep(2000);
        Candidate left = candidate(queue, "198.51.100.9").orElseThrow();
        assertGroupedViewsMatchTheReports(queue, "community", queue.window(), "the first report left the window");
        assertEquals(1, left.operators(), "north's report left the window");
        assertEquals(3, left.failures());
        Thread.sleep(2500);
        assertTrue(candidate(queue, "198.51.100.9").isEmpty(), "no report within the window");
        assertGroupedViewsMatchTheReports(queue, "community", queue.window(), "both reports left the window");
    }

    @Test
    void concurrentAndRetriedInsertsAddUpToWhatTheReportsSay() throws Exception {
        hub.enroll("north-pbx", "north");
        hub.enroll("south-pbx", "south");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int b = 0; b < 40; b++) {
                int batch = b;
                batches.add(pool.submit(() -> {
                    // agent 1 + batch % 2; batches 20-39 repeat the report ids of 0-19: retried, counted once
                    insert("INSERT INTO report (agent_id, site_id, report_id, address, banned_at, evidence) "
                            + "SELECT a.id, a.site_id, 'r-' || " + (batch % 20) + " || '-' || i, "
                            + "'203.0.113.0'::inet + i, now(), jsonb_build_object('counts', jsonb_build_object("
                            + "'InvalidAccountID', 1 + i), 'transport', 'UDP', 'service', 'PJSIP') "
                            + "FROM generate_series(1, 30) i JOIN agent a ON a.id = " + (1 + batch % 2)
                            + " ON CONFLICT (agent_id, report_id) DO NOTHING");
                    return null;
                }));
            }
            for (Future<?> f : batches) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (Connection c = hub.db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT address, site_id, count(*) AS n,"
                     + " sum((evidence->'counts'->>'InvalidAccountID')::int) AS f FROM report GROUP BY 1, 2) x"
                     + " FULL JOIN queue_site q USING (address, site_id)"
                     + " WHERE q.reports IS DISTINCT FROM x.n OR q.failures IS DISTINCT FROM x.f")) {
            r.next();
            assertEquals(0, r.getInt(1), "summary rows that differ from the reports");
        }
        Candidate one = candidate(new ReviewQueue(hub.db(), "community", Duration.ofDays(7)), "203.0.113.1")
                .orElseThrow();
        assertEquals(20, one.reports(), "10 distinct report ids per agent, each retried once");
        assertEquals(2, one.sites());
    }

    @Test
    void twoSitesReportingOneAddressInOverlappingTransactionsBothCount() throws Exception {
        hub.enroll("north-pbx", "north");
        hub.enroll("south-pbx", "south");
        try (Connection first = hub.db().dataSource().getConnection();
             Connection second = hub.db().dataSource().getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            reportFrom(first, 1);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<?> secondReport = other.submit(() -> {
                    reportFrom(second, 2);
                    return null;
                });
                Thread.sleep(500); // the second intake's trigger now runs, or waits for the first (migration V202)
                first.commit();
                secondReport.get(30, java.util.concurrent.TimeUnit.SECONDS);
                second.commit();
            } finally {
                other.shutdownNow();
            }
        }
        Candidate both = candidate(new ReviewQueue(hub.db(), "community", Duration.ofDays(7)), "203.0.113.77")
                .orElseThrow();
        assertEquals(2, both.sites(), "neither refresh may overwrite the other's site");
        assertEquals(2, both.reports());
    }

    @Test
    void aBulkLoadOfManyAddressesStaysWithinPostgresLockTable() throws Exception {
        hub.enroll("north-pbx", "north");
        // more addresses in one statement than PostgreSQL has lock slots (max_locks_per_transaction x connections)
        insert("INSERT INTO report (agent_id, site_id, report_id, address, banned_at, evidence) "
                + "SELECT a.id, a.site_id, 'bulk-' || i, '10.0.0.0'::inet + i, now(), jsonb_build_object('counts', "
                + "jsonb_build_object('InvalidAccountID', 1), 'transport', 'UDP') "
                + "FROM generate_series(1, 60000) i JOIN agent a ON a.id = 1");
        try (Connection c = hub.db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), sum(reports) FROM queue_address")) {
            r.next();
            assertEquals(60000, r.getInt(1));
            assertEquals(60000, r.getInt(2));
        }
    }

    private static void reportFrom(Connection c, int agent) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO report (agent_id, site_id, report_id, address, banned_at, evidence) "
                    + "SELECT a.id, a.site_id, 'overlap', '203.0.113.77', now(), jsonb_build_object('counts', "
                    + "jsonb_build_object('InvalidAccountID', 5), 'transport', 'UDP') FROM agent a WHERE a.id = "
                    + agent);
        }
    }

    private void insert(String sql) throws Exception {
        try (Connection c = hub.db().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every view (by address, /24, /16) shows exactly what a computation from the reports says. */
    private void assertGroupedViewsMatchTheReports(ReviewQueue queue, String list, Duration window, String after)
            throws Exception {
        for (Grouping grouping : Grouping.values()) {
            Map<String, String> shown = new TreeMap<>();
            for (Candidate c : queue.page(new QueueQuery(grouping, "", 0, false, QueueQuery.Sort.KEY, 1, 1000))
                    .candidates()) {
                shown.put(c.key(), QueueFromReports.line(c));
            }
            assertEquals(QueueFromReports.candidates(hub.db(), list, window, grouping), shown,
                    grouping + " after " + after);
        }
    }

    private static Optional<Candidate> candidate(ReviewQueue queue, String address) {
        return queue.page(new QueueQuery(Grouping.ADDRESS, "", 0, false, QueueQuery.Sort.SCORE, 1, 100))
                .candidates().stream().filter(c -> c.key().equals(address)).findFirst();
    }
}
