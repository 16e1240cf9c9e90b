package org.tollguard.hub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.tollguard.hub.Hub;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.hub.config.EnrollmentConfig;
import org.tollguard.hub.config.HttpConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.config.PublicationConfig;
import org.tollguard.hub.config.SigningConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.publish.Publisher;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.EnrollResponse;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.Pbx;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Report;
import org.tollguard.protocol.ReportAck;
import org.tollguard.protocol.ReportBatch;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/**
 * The hub's performance targets (issue 13), on a durable throwaway PostgreSQL on this machine:
 * intake (reports/s sustained, batch acknowledgement latency, nothing lost or doubled), publication (approval to
 * signed generation; a 400,000-entry snapshot), fan-out (1,000 polling agents; unchanged polls per second).
 * Run by bench/hub/run.sh; figures in bench/README.md.
 */
public final class HubBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(16)).build();

    public static void main(String[] args) throws Exception {
        int intakeSeconds = Integer.parseInt(arg(args, 0, "60"));
        int reportsPerSecond = Integer.parseInt(arg(args, 1, "2000"));
        int agents = Integer.parseInt(arg(args, 2, "1000"));
        Path dir = Files.createTempDirectory("tollguard-hubbench-");
        MinisignSecretKey key = TestHubs.writeKey(dir);
        DatabaseConfig database = PostgresCluster.get().newDatabase();
        DatabaseConfig pooled = new DatabaseConfig(database.url(), database.user(), database.password(), 20);
        HubConfig config = new HubConfig(pooled, new HttpConfig("127.0.0.1", PostgresCluster.freePort(), null, null),
                new SigningConfig(dir.resolve("hub.key"), List.of()),
                new PublicationConfig("community", Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofHours(6),
                        Duration.ofDays(7), null, false),
                new IntakeConfig(null, null, 1000.0, 10_000, null), AutoApproveConfig.defaults(),
                EnrollmentConfig.defaults());
        System.out.printf("machine: %d cores, load %s; PostgreSQL durable (fsync on)%n",
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip());
        try (Hub hub = Hub.start(config, Clock.systemUTC()); Database db = Database.open(database)) {
            String base = "http://127.0.0.1:" + config.http().port();
            intake(base, db, database, intakeSeconds, reportsPerSecond);
            publication(base, db, config, key);
            fanOut(base, db, key, agents);
        }
    }

    // --- intake -------------------------------------------------------------------------------------------

    private static void intake(String base, Database db, DatabaseConfig database, int seconds, int perSecond)
            throws Exception {
        int agents = 20;
        int perBatch = 50;
        List<String> credentials = new ArrayList<>();
        Enrollment enrollment = new Enrollment(db, 10_000);
        for (int i = 0; i < agents; i++) {
            String token = enrollment.createToken("site-" + i, "operator-" + i, "bench", Instant.now().plusSeconds(600));
            HttpResponse<byte[]> r = post(base + HubPaths.ENROLL, null,
                    ProtocolJson.mapper().writeValueAsBytes(new EnrollRequest(1, token, "bench", "bench")));
            credentials.add(ProtocolJson.mapper().readValue(r.body(), EnrollResponse.class).credential());
        }
        long batchesPerSecond = perSecond / perBatch;
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / batchesPerSecond;
        long total = batchesPerSecond * seconds;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime();
        for (long n = 0; n < total; n++) {
            long due = start + n * periodNanos; // open loop: latency counts from when the batch was due
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            List<Report> reports = new ArrayList<>(perBatch);
            for (int i = 0; i < perBatch; i++) {
                long id = n * perBatch + i;
                reports.add(new Report("bench-" + id, "11." + (id >> 16 & 0xff) + "." + (id >> 8 & 0xff) + "."
                        + (id & 0xff), Instant.now(), Instant.now(), Instant.now(), null, "fast: 5 failures within 1m",
                        java.util.Map.of("InvalidPassword", 5), List.of("100"), 1, List.of("friendly-scanner"), "PJSIP",
                        "UDP", new Pbx("asterisk", "22.5.0"), "bench"));
            }
            byte[] body = ProtocolJson.mapper().writeValueAsBytes(ReportBatch.of(reports));
            String credential = credentials.get((int) (n % agents));
            pending.add(postAsync(base + HubPaths.REPORTS, credential, body).whenComplete((r, e) -> {
                if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                    return;
                }
                latencies.add(System.nanoTime() - due);
                try {
                    ReportAck ack = ProtocolJson.mapper().readValue(r.body(), ReportAck.class);
                    acknowledged.addAndGet(ack.accepted());
                } catch (java.io.IOException ex) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).exceptionally(e -> null).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long stored;
        long distinct;
        try (Connection c = DriverManager.getConnection(database.url(), "postgres", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*), count(distinct (agent_id, report_id)) from report")) {
            r.next();
            stored = r.getLong(1);
            distinct = r.getLong(2);
        }
        System.out.printf("intake: %d reports in %d batches of %d over %.1f s = %.0f reports/s offered; "
                        + "acknowledged %d, failed batches %d; stored %d, distinct %d%n",
                total * perBatch, total, perBatch, elapsed, total * perBatch / elapsed, acknowledged.get(), failed.get(),
                stored, distinct);
        System.out.printf("intake: batch acknowledgement p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                pct(sorted, 50), pct(sorted, 99), pct(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    // --- publication --------------------------------------------------------------------------------------

    private static void publication(String base, Database db, HubConfig config, MinisignSecretKey key) throws Exception {
        // approval → signed generation, through the running hub's publication loop (interval 1 s)
        List<Long> millis = new ArrayList<>();
        Approvals approvals = new Approvals(db, "community");
        for (int i = 0; i < 10; i++) {
            long before = headGeneration(base);
            long start = System.nanoTime();
            approvals.approve("12.0.0." + (i + 1), "operator:bench", "sip-bruteforce", null);
            while (headGeneration(base) <= before) {
                Thread.sleep(5);
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.println("publication: approval -> signed generation served, ms: " + millis
                + " (publication interval 1 s)");

        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into listed (list, network, reason, expires_at, approved_by) select 'community', "
                    + "set_masklen('13.0.0.0'::inet + g, 32)::cidr, 'sip-bruteforce', now() + interval '7 days', "
                    + "'bench' from generate_series(1, 400000) g");
        }
        Publisher snapshotNow = new Publisher(new PublicationConfig("community", Duration.ofSeconds(1),
                Duration.ofDays(1), Duration.ofMillis(1), Duration.ofDays(7), null, false), db, new ListSigner(key),
                Clock.systemUTC());
        for (int run = 0; run < 3; run++) {
            approvals.approve("12.0.1." + (run + 1), "operator:bench", "sip-bruteforce", null);
            long start = System.nanoTime();
            long generation = snapshotNow.publishIfDue().orElseThrow();
            long ms = (System.nanoTime() - start) / 1_000_000;
            HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + HubPaths.head("community")))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            var parsed = ProtocolJson.mapper().readValue(head.body(), org.tollguard.protocol.Head.class);
            System.out.printf("publication: snapshot of %d entries (generation %d) built, signed and stored in %d ms; "
                    + "%d bytes gzipped%n", parsed.snapshot().count(), generation, ms, gzippedSize(db, parsed.snapshot().path()));
        }
    }

    private static long gzippedSize(Database db, String path) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select length(body_gzip) from published_file where path = '" + path + "'")) {
            return r.next() ? r.getLong(1) : -1;
        }
    }

    // --- fan-out ------------------------------------------------------------------------------------------

    private static void fanOut(String base, Database db, MinisignSecretKey key, int agents) throws Exception {
        String headUrl = base + HubPaths.head("community");
        // unchanged polls: conditional GETs as fast as 32 clients can send them, for 15 s
        HttpResponse<byte[]> first = get(headUrl, null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        AtomicLong notModified = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<Thread> pollers = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < until) {
                    try {
                        int status = get(headUrl, etag).statusCode();
                        (status == 304 ? notModified : other).incrementAndGet();
                    } catch (Exception e) {
                        other.incrementAndGet();
                    }
                }
            });
            thread.start();
            pollers.add(thread);
        }
        for (Thread t : pollers) {
            t.join();
        }
        System.out.printf("fan-out: unchanged polls answered 304: %.0f/s (other answers: %d)%n",
                notModified.get() / 15.0, other.get());

        // 1,000 agents polling every 30 s (jittered): approval → every one holds the new generation
        ListVerifier verifier = new ListVerifier(List.of(key.publicKey()), Clock.systemUTC());
        long generationBefore = headGeneration(base);
        long[] seenAt = new long[agents];
        String[] etags = new String[agents];
        AtomicLong polls = new AtomicLong();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(8);
        long approvedAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int a = 0; a < agents; a++) {
            int agent = a;
            long offset = ThreadLocalRandom.current().nextLong(30_000);
            scheduler.scheduleAtFixedRate(() -> {
                if (seenAt[agent] != 0) {
                    return;
                }
                try {
                    polls.incrementAndGet();
                    HttpResponse<byte[]> r = get(headUrl, etags[agent]);
                    if (r.statusCode() == 200) {
                        etags[agent] = r.headers().firstValue("ETag").orElse(null);
                        String sig = new String(get(headUrl + ".minisig", null).body());
                        var head = verifier.verifyHead(r.body(), sig, "community", 0);
                        if (head.generation() > generationBefore && System.nanoTime() > approvedAt) {
                            seenAt[agent] = System.nanoTime();
                        }
                    }
                } catch (Exception e) {
                    // counted as not yet seen; the next poll tries again
                }
            }, offset, 30_000, TimeUnit.MILLISECONDS);
        }
        TimeUnit.NANOSECONDS.sleep(approvedAt - System.nanoTime());
        new Approvals(db, "community").approve("12.0.2.1", "operator:bench", "sip-bruteforce", null);
        long deadline = approvedAt + TimeUnit.SECONDS.toNanos(90);
        while (Arrays.stream(seenAt).anyMatch(t -> t == 0) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        scheduler.shutdownNow();
        long holding = Arrays.stream(seenAt).filter(t -> t != 0).count();
        long slowest = Arrays.stream(seenAt).filter(t -> t != 0).max().orElse(approvedAt) - approvedAt;
        System.out.printf("fan-out: %d of %d agents (polling every 30 s with If-None-Match) hold the new generation; "
                + "the last after %.1f s; %d polls%n", holding, agents, slowest / 1e9, polls.get());
    }

    // --- helpers ------------------------------------------------------------------------------------------

    private static long headGeneration(String base) throws Exception {
        HttpResponse<byte[]> r = get(base + HubPaths.head("community"), null);
        return r.statusCode() != 200 ? 0 : ProtocolJson.mapper().readTree(r.body()).path("generation").asLong();
    }

    private static HttpResponse<byte[]> get(String url, String etag) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String url, String credential, byte[] body) throws Exception {
        return postAsync(url, credential, body).get();
    }

    private static CompletableFuture<HttpResponse<byte[]>> postAsync(String url, String credential, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    private static String arg(String[] args, int i, String fallback) {
        return args.length > i ? args[i] : fallback;
    }
}
