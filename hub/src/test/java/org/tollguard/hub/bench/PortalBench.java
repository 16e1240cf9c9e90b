package org.tollguard.hub.bench;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.hub.config.EnrollmentConfig;
import org.tollguard.hub.config.HttpConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.config.PublicationConfig;
import org.tollguard.hub.config.ReviewConfig;
import org.tollguard.hub.config.SigningConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Secrets;
import org.tollguard.hub.portal.Tenants;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.hub.web.PasswordHasher;
import org.tollguard.hub.web.UserRole;
import org.tollguard.hub.web.Users;
import org.tollguard.protocol.Heartbeat;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ProtocolJson;

/**
 * The reseller portal's performance target (issue 15) on a durable throwaway PostgreSQL on this machine: a
 * reseller with 1,000 customers and 2,000 sites (each an enrolled agent, with policy settings, alerts and block
 * history); 2,000 agents sending a heartbeat (and asking for their policy) every 30 s: nothing lost, no backlog;
 * meanwhile the portal's pages timed as the reseller and as a customer's user. The hub runs in its own JVM. Run by
 * bench/hub/run-portal.sh; figures in bench/README.md.
 */
public final class PortalBench {
    private static final Duration BEAT = Duration.ofSeconds(30);
    private static final String PASSWORD = "bench-secret-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();

    private record Agent(long siteId, String credential) {}

    private record Tenancy(long resellerId, List<Long> customers, List<long[]> sites, List<Agent> agents) {}

    public static void main(String[] args) throws Exception {
        int heartbeatSeconds = Integer.parseInt(args.length > 0 ? args[0] : "120");
        int customers = Integer.parseInt(args.length > 1 ? args[1] : "1000");
        int sitesPerCustomer = Integer.parseInt(args.length > 2 ? args[2] : "2");
        int pageRequests = Integer.getInteger("portalbench.pages", 200);
        Path dir = Files.createTempDirectory("tollguard-portalbench-");
        TestHubs.writeKey(dir);
        DatabaseConfig database = PostgresCluster.get().newDatabase();
        HubConfig config = new HubConfig(
                new DatabaseConfig(database.url(), database.user(), database.password(), null),
                new HttpConfig("127.0.0.1", PostgresCluster.freePort(), null, null),
                new SigningConfig(dir.resolve("hub.key"), List.of()), PublicationConfig.defaults(),
                IntakeConfig.defaults(), AutoApproveConfig.defaults(), EnrollmentConfig.defaults(),
                // plain HTTP on loopback: cookies without the Secure flag
                new ReviewConfig(null, null, null, null, null, false, null));
        List<String> hubJava = List.of(System.getProperty("hubbench.hubJavaOptions", "-Xmx1g").split(" "));
        System.out.printf("machine: %d cores, load %s; PostgreSQL durable (fsync on, synchronous commit); hub in its "
                + "own JVM (%s), production defaults (pool of 10)%n", Runtime.getRuntime().availableProcessors(),
                HubBench.loadAverage(), hubJava);
        String base = "http://127.0.0.1:" + config.http().port();
        try (HubProcess hub = HubProcess.start(config, dir, hubJava); Database db = Database.open(database)) {
            long filling = System.nanoTime();
            Tenancy tenancy = fill(db, customers, sitesPerCustomer);
            System.out.printf("fill: 1 reseller, %d customers, %d sites with an enrolled agent each, policy settings, "
                            + "%d fleet alerts, %d block records, in %.1f s%n", customers, tenancy.agents().size(),
                    count(db, "fleet_alert"), count(db, "account_block_log"), (System.nanoTime() - filling) / 1e9);
            Random random = new Random(15);
            int sites = tenancy.sites().size();
            long ownCustomer = tenancy.customers().get(0);
            List<Long> ownSites = tenancy.sites().stream().filter(s -> s[1] == ownCustomer).map(s -> s[0]).toList();
            Session reseller = Session.logIn(base, "reseller");
            Session customer = Session.logIn(base, "customer");
            List<Page> pages = List.of(
                    new Page("reseller: customers (" + customers + ")", reseller, () -> "/portal"),
                    new Page("reseller: a customer", reseller, () -> "/portal/customers/"
                            + tenancy.customers().get(random.nextInt(customers))),
                    new Page("reseller: a site", reseller, () -> "/portal/sites/"
                            + tenancy.sites().get(random.nextInt(sites))[0]),
                    new Page("customer: customers (its own)", customer, () -> "/portal"),
                    new Page("customer: its customer page", customer, () -> "/portal/customers/" + ownCustomer),
                    new Page("customer: one of its sites", customer, () -> "/portal/sites/"
                            + ownSites.get(random.nextInt(ownSites.size()))));
            heartbeats(base, database, hub, tenancy, heartbeatSeconds, pages, pageRequests);
            System.out.printf("end: load %s%n", HubBench.loadAverage());
        }
        System.exit(0); // the HTTP client's threads would keep the JVM up
    }

    // --- the reseller's tenancy -------------------------------------------------------------------------------

    private static Tenancy fill(Database db, int customers, int sitesPerCustomer) throws SQLException {
        long reseller = new Tenants(db).createReseller("Bench Reseller");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into operator (name, reseller_id) select 'customer-' || lpad(g::text, 4, '0'), " + reseller
                    + " from generate_series(1, " + customers + ") g");
            s.execute("insert into site (operator_id, name) select o.id, o.name || '-site-' || k from operator o, "
                    + "generate_series(1, " + sitesPerCustomer + ") k where o.reseller_id = " + reseller);
            // settings as a reseller keeps them: every customer's, a site override on every second site, three
            // accounts and a group per site; 50 fraudulent prefixes
            s.execute("insert into policy_setting (operator_id, scope, delta, max_concurrent, max_duration_seconds, "
                    + "blocked_categories, updated_by) select id, 'customer', 30, 4, 7200, '{premium,satellite}', "
                    + "'bench' from operator where reseller_id = " + reseller);
            s.execute("insert into policy_setting (operator_id, site_id, scope, max_concurrent, updated_by) "
                    + "select operator_id, id, 'site', 8, 'bench' from site where id % 2 = 0");
            s.execute("insert into policy_setting (operator_id, site_id, scope, name, delta, updated_by) "
                    + "select s.operator_id, s.id, 'account', (200 + k)::text, 10 * k, 'bench' from site s, "
                    + "generate_series(1, 3) k");
            s.execute("insert into policy_setting (operator_id, site_id, scope, name, max_concurrent, updated_by) "
                    + "select operator_id, id, 'group', 'sales', 2, 'bench' from site");
            s.execute("insert into fraud_prefix (reseller_id, prefix, note, added_by) select " + reseller
                    + ", (2327600 + g)::text, 'bench', 'bench' from generate_series(1, 50) g");
            // history: 20 alerts per site over the last 30 days, 5 block records and one block in force on every
            // tenth site
            s.execute("insert into fleet_alert (site_id, at, kind, text) select s.id, now() - g * interval '36 hours', "
                    + "'agent-down', 'agent of ' || s.name || ' not heard from for 2 minutes' from site s, "
                    + "generate_series(1, 20) g");
            s.execute("insert into account_block_log (site_id, account, action, actor, at, reason) select s.id, '201', "
                    + "case when g % 2 = 0 then 'unblock' else 'block' end, 'user:reseller', now() - g * interval '5 days', "
                    + "'bench' from site s, generate_series(1, 5) g");
            s.execute("insert into account_block (site_id, account, blocked_by, blocked_at, reason) select id, '202', "
                    + "'user:reseller', now(), 'bench' from site where id % 10 = 0");
        }
        List<Long> customerIds = ids(db, "select id from operator where reseller_id = " + reseller + " order by id");
        List<long[]> sites = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select id, operator_id from site order by id")) {
            while (r.next()) {
                sites.add(new long[] {r.getLong(1), r.getLong(2)});
            }
        }
        // an enrolled agent per site, as the exchange of a token makes it (credential stored hashed)
        List<Agent> agents = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("insert into agent (site_id, credential_hash, hostname, "
                     + "agent_version, rate_tokens) values (?, ?, ?, '0.1.0', 1000)")) {
            for (long[] site : sites) {
                String credential = Secrets.create(Secrets.CREDENTIAL_PREFIX);
                s.setLong(1, site[0]);
                s.setBytes(2, Secrets.hash(credential));
                s.setString(3, "pbx-" + site[0]);
                s.addBatch();
                agents.add(new Agent(site[0], credential));
            }
            s.executeBatch();
        }
        Users users = new Users(db.dataSource(), new PasswordHasher(10), Clock.systemUTC());
        users.create("reseller", PASSWORD, UserRole.RESELLER, reseller, null);
        users.create("customer", PASSWORD, UserRole.CUSTOMER, null, customerIds.get(0));
        return new Tenancy(reseller, customerIds, sites, agents);
    }

    // --- heartbeats -----------------------------------------------------------------------------------------

    /**
     * Every agent sends a heartbeat and polls its policy every 30 s (the first poll fetches it, later ones carry
     * its version), starting at a random moment of the first 30 s, for {@code seconds}. Once each agent has sent
     * one, the pages are timed meanwhile: a warm-up of 20 requests each, then {@code pageRequests} each, one at a
     * time (the run lasts until they are done).
     */
    private static void heartbeats(String base, DatabaseConfig database, HubProcess hub, Tenancy tenancy, int seconds,
                                   List<Page> pages, int pageRequests) throws Exception {
        List<Agent> agents = tenancy.agents();
        int n = agents.size();
        long[] round = new long[n];
        long period = BEAT.toNanos();
        AtomicLongArray acknowledged = new AtomicLongArray(n); // the newest round each agent's hub acknowledged
        int capacity = (int) ((seconds + 600) * n / BEAT.toSeconds() + n);
        long[] latency = new long[capacity]; // by heartbeat sent
        long[] dueAt = new long[capacity];
        Arrays.fill(latency, -1);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong policyPolls = new AtomicLong();
        AtomicLong policyUnchanged = new AtomicLong();
        ProcessCpu hubCpu = ProcessCpu.of(hub.pid());
        ProcessCpu postgres = ProcessCpu.tree(HubBench.postmasterPid(database));
        double[] before = {hubCpu.seconds(), postgres.seconds()};
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long start = System.nanoTime();
        AtomicLong end = new AtomicLong(Long.MAX_VALUE);
        Random phases = new Random(30);
        for (int i = 0; i < n; i++) {
            int a = i;
            long offset = (long) (phases.nextDouble() * period);
            timer.scheduleAtFixedRate(() -> {
                long due = System.nanoTime();
                if (due >= end.get()) {
                    return;
                }
                int slot = (int) sent.getAndIncrement();
                if (slot >= capacity) {
                    return;
                }
                dueAt[slot] = due - start;
                long r = ++round[a];
                HTTP.sendAsync(heartbeat(base, agents.get(a), r, new Random(a * 31L + r)),
                        HttpResponse.BodyHandlers.ofByteArray()).whenComplete((answer, e) -> {
                            if (e != null || answer.statusCode() != 204) {
                                failed.incrementAndGet();
                                return;
                            }
                            latency[slot] = System.nanoTime() - due;
                            acknowledged.accumulateAndGet(a, r, Math::max);
                        });
                HTTP.sendAsync(policy(base, agents.get(a), r == 1 ? null : "\"policy-1\""),
                                HttpResponse.BodyHandlers.discarding())
                        .thenAccept(answer -> {
                            policyPolls.incrementAndGet();
                            if (answer.statusCode() == 304) {
                                policyUnchanged.incrementAndGet();
                            }
                        });
            }, offset, period, TimeUnit.NANOSECONDS);
        }
        List<String> loads = new ArrayList<>();
        loads.add(HubBench.loadAverage().replaceAll(" [0-9]+/.*", ""));
        TimeUnit.NANOSECONDS.sleep(period + TimeUnit.SECONDS.toNanos(2));
        loads.add(HubBench.loadAverage().replaceAll(" [0-9]+/.*", ""));
        for (Page page : pages) { // warm-up, not counted
            for (int i = 0; i < 20; i++) {
                page.time();
            }
        }
        Statements pageStatements = Statements.reset(database);
        System.out.printf("pages, while the agents send their heartbeats (%d requests each, one at a time):%n",
                pageRequests);
        for (Page page : pages) {
            long[] nanos = new long[pageRequests];
            for (int i = 0; i < pageRequests; i++) {
                nanos[i] = page.time();
            }
            page.print(nanos);
        }
        pageStatements.print("PostgreSQL during the pages (and the heartbeats meanwhile)", 12);
        loads.add(HubBench.loadAverage().replaceAll(" [0-9]+/.*", ""));
        long stop = Math.max(System.nanoTime(), start + TimeUnit.SECONDS.toNanos(seconds));
        end.set(stop);
        TimeUnit.NANOSECONDS.sleep(stop - System.nanoTime());
        seconds = (int) ((stop - start) / 1_000_000_000L);
        loads.add(HubBench.loadAverage().replaceAll(" [0-9]+/.*", ""));
        timer.shutdown();
        Thread.sleep(10_000); // answers still on their way
        double[] cpu = {hubCpu.seconds() - before[0], postgres.seconds() - before[1]}; // pages included
        int total = (int) Math.min(sent.get(), capacity);
        long[] sorted = Arrays.stream(latency, 0, total).filter(l -> l >= 0).sorted().toArray();
        long stale = 0;
        try (Connection c = java.sql.DriverManager.getConnection(database.url(), "postgres", "");
             PreparedStatement s = c.prepareStatement("select (body->'health'->>'list-generation')::bigint "
                     + "from heartbeat where agent_id = (select id from agent where site_id = ?)")) {
            for (int a = 0; a < n; a++) {
                s.setLong(1, agents.get(a).siteId());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || r.getLong(1) != acknowledged.get(a)) {
                        stale++;
                    }
                }
            }
        }
        System.out.printf("heartbeats: %d agents every %d s for %d s: %d sent (%.1f/s), %d acknowledged (204), %d "
                        + "failed; agents whose stored heartbeat is not the newest acknowledged one: %d%n", n,
                BEAT.toSeconds(), seconds, total, total / (double) seconds, sorted.length, failed.get(), stale);
        System.out.printf("heartbeats: acknowledgement p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; policy polls "
                        + "%d (%d unchanged, 304)%n", pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, policyPolls.get(), policyUnchanged.get());
        StringBuilder over = new StringBuilder("heartbeats: p99 / max per 30 s (ms), a backlog would grow:");
        for (long from = 0; from < TimeUnit.SECONDS.toNanos(seconds); from += period) {
            long lo = from;
            long[] part = java.util.stream.IntStream.range(0, total).filter(i -> dueAt[i] >= lo && dueAt[i] < lo + period
                    && latency[i] >= 0).mapToLong(i -> latency[i]).sorted().toArray();
            over.append(String.format(" %d-%ds %.0f/%.0f", from / 1_000_000_000L, (from + period) / 1_000_000_000L,
                    pct(part, 99), part.length == 0 ? 0 : part[part.length - 1] / 1e6));
        }
        System.out.println(over);
        System.out.printf("heartbeats: CPU seconds: hub %.1f, PostgreSQL %.1f (pages included; per heartbeat and "
                        + "policy poll: hub %.2f ms, PostgreSQL %.2f ms); load average at start, after 32 s, after the "
                        + "pages, at the end: %s%n", cpu[0], cpu[1],
                cpu[0] * 1000 / Math.max(1, total), cpu[1] * 1000 / Math.max(1, total), loads);
    }

    private static HttpRequest heartbeat(String base, Agent agent, long round, Random random) {
        Instant now = Instant.now();
        List<Heartbeat.LiveCall> calls = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            calls.add(new Heartbeat.LiveCall("20" + random.nextInt(10), "+3120" + (1_000_000 + random.nextInt(8_999_999)),
                    random.nextInt(10) == 0 ? "international" : "national", now.minusSeconds(random.nextInt(600)),
                    now.minusSeconds(random.nextInt(590))));
        }
        List<Heartbeat.AccountSpend> spend = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            BigDecimal baseline = BigDecimal.valueOf(200 + random.nextInt(2000), 2);
            spend.add(new Heartbeat.AccountSpend("20" + i, BigDecimal.valueOf(random.nextInt(4000), 2), baseline,
                    baseline.add(BigDecimal.valueOf(30)), "EUR"));
        }
        List<Heartbeat.RecentAlert> alerts = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            alerts.add(new Heartbeat.RecentAlert(now.minusSeconds(random.nextInt(3600)),
                    "203.0.113." + random.nextInt(255) + " banned: 5 failed registrations within 1m"));
        }
        // the round number rides in list-generation, so the stored heartbeat shows which one the hub kept
        Heartbeat beat = new Heartbeat(ProtocolJson.VERSION, "0.1.0",
                new Heartbeat.Health(true, "ok", round, now.minusSeconds(20), 3, now.minusSeconds(15), null),
                new Heartbeat.Summary(calls, spend, agent.siteId() % 10 == 0 ? List.of("202") : List.of(), alerts));
        try {
            return HttpRequest.newBuilder(URI.create(base + HubPaths.HEARTBEAT)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + agent.credential()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.mapper().writeValueAsBytes(beat))).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agent's policy poll; {@code etag} the version it holds (null: none yet). */
    private static HttpRequest policy(String base, Agent agent, String etag) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + HubPaths.POLICY))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + agent.credential());
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return b.build();
    }

    // --- pages ----------------------------------------------------------------------------------------------

    /** A logged-in portal user: the session cookie, set by logging in through the login form. */
    private record Session(String base, String cookie) {
        private static final Pattern LOGIN_TOKEN = Pattern.compile("name=\"login-token\" value=\"([^\"]+)\"");

        static Session logIn(String base, String username) throws Exception {
            HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher token = LOGIN_TOKEN.matcher(form.body());
            if (!token.find()) {
                throw new IllegalStateException("no login token in the login form: " + form.body());
            }
            String body = "login-token=" + enc(token.group(1)) + "&next=%2Fportal&username=" + enc(username)
                    + "&password=" + enc(PASSWORD);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", cookie(form, "tg_login"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 303) {
                throw new IllegalStateException(username + " cannot log in: HTTP " + answer.statusCode());
            }
            return new Session(base, cookie(answer, "tg_session"));
        }

        private static String cookie(HttpResponse<?> response, String name) {
            return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                    .map(c -> c.split(";", 2)[0]).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cookie " + name + " in " + response.headers()));
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    private record Page(String name, Session session, java.util.function.Supplier<String> path) {
        /** One request; nanoseconds until the whole page was read. Anything but 200 stops the benchmark. */
        long time() throws Exception {
            String p = path.get();
            long start = System.nanoTime();
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(session.base() + p))
                    .header("Cookie", session.cookie()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - start;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name + " " + p + ": HTTP " + r.statusCode());
            }
            return nanos;
        }

        void print(long[] nanos) {
            long[] sorted = Arrays.stream(nanos).sorted().toArray();
            System.out.printf("  %-32s n %4d  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", name,
                    sorted.length, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static List<Long> ids(Database db, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getLong(1));
            }
        }
        return out;
    }

    private static long count(Database db, String table) throws SQLException {
        return ids(db, "select count(*) from " + table).get(0);
    }

    /** Percentile of nanoseconds, in milliseconds. */
    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }
}
