package org.tollguard.hub.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tollguard.hub.Hub;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.hub.web.PasswordHasher;
import org.tollguard.hub.web.UserRole;
import org.tollguard.hub.web.Users;

/**
 * The review queue's target (issue 14): "the queue page with 50,000 pending candidates answers in under 300 ms".
 * Fills a durable throwaway PostgreSQL with 50,000 pending addresses (about 100,000 reports from 1,000 sites of 200
 * operators, with trust, decisions, listings and an allowlist around them), logs in as a reviewer and times whole
 * page requests (HTML rendered, charts included) for the default view and for filtered and grouped views.
 * Run by bench/hub/queue.sh; figures in bench/README.md.
 */
public final class QueueBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int candidates = Integer.parseInt(args.length > 0 ? args[0] : "50000");
        int requests = Integer.parseInt(args.length > 1 ? args[1] : "100");
        Path dir = Files.createTempDirectory("tollguard-queuebench-");
        TestHubs.writeKey(dir);
        DatabaseConfig database = PostgresCluster.get().newDatabase();
        HubConfig config = TestHubs.config(database, dir, PostgresCluster.freePort(),
                new IntakeConfig(null, null, 1000.0, 5000, null),
                new AutoApproveConfig(false, 100, Duration.ofHours(1), Duration.ofDays(7)));
        System.out.printf("machine: %d cores, load %s; PostgreSQL durable (fsync on)%n",
                Runtime.getRuntime().availableProcessors(), loadavg());
        try (Database db = Database.open(database)) {
            long t = System.nanoTime();
            fill(db, candidates);
            System.out.printf("filled in %.1f s%n", (System.nanoTime() - t) / 1e9);
            new Users(db.dataSource(), new PasswordHasher(4), Clock.systemUTC()).create("bench", "bench-password-1",
                    UserRole.REVIEWER);
        }
        if (System.getenv("QUEUEBENCH_HOLD") != null) { // keep the filled database up for EXPLAIN ANALYZE by hand
            System.out.println("holding: psql '" + database.url() + "'");
            Thread.sleep(Duration.ofMinutes(Long.parseLong(System.getenv("QUEUEBENCH_HOLD"))).toMillis());
        }
        try (Hub hub = Hub.start(config, Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + hub.port();
            String session = login(base);
            Map<String, String> views = new LinkedHashMap<>();
            views.put("default (by address, score)", "/review/queue");
            views.put("filtered: >= 2 operators, not spoofed, by reports", "/review/queue?min-operators=2&not-spoofed=on&sort=reports");
            views.put("grouped by /24, score", "/review/queue?group=block");
            views.put("grouped by /16, last seen", "/review/queue?group=network&sort=last-seen");
            views.put("search 45.1., page 3", "/review/queue?q=" + URLEncoder.encode("45.1.", StandardCharsets.UTF_8) + "&page=3");
            String first = get(base + "/review/queue", session);
            Matcher total = Pattern.compile("([0-9,]+) candidate\\(s\\)").matcher(first);
            System.out.println("queue says: " + (total.find() ? total.group(0) : "(no count found)"));
            for (Map.Entry<String, String> view : views.entrySet()) {
                for (int i = 0; i < Math.min(5, requests / 4); i++) {
                    get(base + view.getValue(), session); // warm-up
                }
                long[] nanos = new long[requests];
                for (int i = 0; i < requests; i++) {
                    long start = System.nanoTime();
                    get(base + view.getValue(), session);
                    nanos[i] = System.nanoTime() - start;
                }
                Arrays.sort(nanos);
                System.out.printf("%-55s n=%d p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (load %s)%n",
                        view.getKey(), requests, ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99),
                        nanos[requests - 1] / 1e6, loadavg());
            }
        }
        System.exit(0);
    }

    /** 50,000 pending addresses, most reported once or twice, and the decided, listed and allowlisted around them. */
    static void fill(Database db, int candidates) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO operator (name) SELECT 'operator-' || i FROM generate_series(1, 200) i");
            s.execute("INSERT INTO site (operator_id, name) SELECT 1 + (i % 200), 'site-' || i FROM generate_series(1, 1000) i");
            s.execute("INSERT INTO agent (site_id, credential_hash, rate_tokens) SELECT id, decode(md5(id::text), 'hex'), 10 FROM site");
            s.execute("INSERT INTO reporter_stats (site_id, approved, rejected, canary_hits) "
                    + "SELECT id, id % 40, id % 7, CASE WHEN id % 97 = 0 THEN 1 ELSE 0 END FROM site WHERE id % 3 = 0");
            // address i: 45.0.0.0 + 3i (about 85 per /24); reported by 1, 2 or 3 sites; one in four over TCP
            s.execute("INSERT INTO report (agent_id, site_id, report_id, address, banned_at, received_at, evidence) "
                    + "SELECT a.id, a.site_id, 'r-' || i || '-' || j, '45.0.0.0'::inet + 3 * i, t, t, jsonb_build_object("
                    + "'id', 'r-' || i || '-' || j, 'address', host('45.0.0.0'::inet + 3 * i), "
                    + "'first-seen', to_char(t - interval '2 minutes', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                    + "'last-seen', to_char(t, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'reason', 'fast: 5 failures within 1m', "
                    + "'counts', jsonb_build_object(CASE WHEN i % 5 = 0 THEN 'ChallengeResponseFailed' ELSE 'InvalidAccountID' END, 5 + j), "
                    + "'accounts', jsonb_build_array('100', 'admin'), 'account-count', 2 + i % 9, "
                    + "'user-agents', jsonb_build_array('friendly-scanner'), 'service', 'PJSIP', "
                    + "'transport', CASE WHEN i % 4 = 0 THEN 'TCP' ELSE 'UDP' END) "
                    + "FROM generate_series(1, " + candidates + ") i CROSS JOIN generate_series(0, 2) j "
                    + "JOIN agent a ON a.id = 1 + ((i * 7 + j * 331) % 1000) "
                    + "CROSS JOIN LATERAL (SELECT now() - make_interval(secs => (i * 37 + j * 3600) % (6 * 86400))) AS x(t) "
                    + "WHERE j <= i % 3");
            // around the queue: 20,000 listed, 5,000 rejected (reported before the rejection), an allowlist
            s.execute("INSERT INTO listed (list, network, reason, approved_by) SELECT 'community', "
                    + "set_masklen('46.0.0.0'::inet + i, 32)::cidr, 'sip-bruteforce', 'operator:bench' FROM generate_series(1, 20000) i");
            s.execute("INSERT INTO report (agent_id, site_id, report_id, address, banned_at, received_at, evidence) "
                    + "SELECT 1 + i % 1000, (SELECT site_id FROM agent WHERE id = 1 + i % 1000), 'l-' || i, '46.0.0.0'::inet + i, "
                    + "now() - interval '1 day', now() - interval '1 day', '{\"counts\": {\"InvalidAccountID\": 5}}' "
                    + "FROM generate_series(1, 20000) i");
            s.execute("INSERT INTO report (agent_id, site_id, report_id, address, banned_at, received_at, evidence) "
                    + "SELECT 1 + i % 1000, (SELECT site_id FROM agent WHERE id = 1 + i % 1000), 'd-' || i, '47.0.0.0'::inet + i, "
                    + "now() - interval '2 days', now() - interval '2 days', '{\"counts\": {\"InvalidAccountID\": 5}}' "
                    + "FROM generate_series(1, 5000) i");
            s.execute("INSERT INTO candidate_decision (address, decision, decided_by, decided_at, reason) "
                    + "SELECT '47.0.0.0'::inet + i, 'rejected', 'operator:bench', now() - interval '1 day', 'carrier' "
                    + "FROM generate_series(1, 5000) i");
            s.execute("INSERT INTO allowlist (network, kind, note, added_by) SELECT set_masklen('100.64.0.0'::inet + i * 256, 24)::cidr, "
                    + "'carrier', 'bench', 'operator:bench' FROM generate_series(1, 500) i");
            s.execute("ANALYZE");
            try (ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT address) FROM report")) {
                r.next();
                System.out.printf("reports: %,d rows, %,d addresses (%,d meant to be pending)%n", r.getLong(1),
                        r.getLong(2), candidates);
            }
        }
    }

    private static String login(String base) throws Exception {
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String loginCookie = cookie(form, "tg_login");
        String body = "login-token=" + loginCookie.substring("tg_login=".length())
                + "&username=bench&password=bench-password-1&next=%2Freview%2Fqueue";
        HttpResponse<String> in = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", loginCookie)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (in.statusCode() != 303) {
            throw new IllegalStateException("login failed: " + in.statusCode() + " " + in.body());
        }
        return cookie(in, "tg_session");
    }

    private static String cookie(HttpResponse<?> response, String name) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith(name + "=")) {
                return header.substring(0, header.indexOf(';'));
            }
        }
        throw new IllegalStateException("no " + name + " cookie in " + response.headers().map());
    }

    private static String get(String url, String session) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", session).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode());
        }
        return r.body();
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static String loadavg() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
