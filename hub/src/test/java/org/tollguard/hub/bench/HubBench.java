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
import java.util.concurrent.ExecutorService;
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
import org.tollguard.hub.config.ReviewConfig;
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
        List<String> parts = List.of(System.getProperty("hubbench.parts", "intake,publication,fanout").split(","));
        boolean ownProcess = !"in-process".equals(System.getProperty("hubbench.hub", "process"));
        Path dir = Files.createTempDirectory("tollguard-hubbench-");
        MinisignSecretKey key = TestHubs.writeKey(dir);
        DatabaseConfig database = PostgresCluster.get().newDatabase();
        DatabaseConfig pooled = new DatabaseConfig(database.url(), database.user(), database.password(), 20);
        // production defaults but for the intake rate (20 agents send 2,000 reports/s) and a 1 s publication
        HubConfig config = new HubConfig(pooled, new HttpConfig("127.0.0.1", PostgresCluster.freePort(), null, null),
                new SigningConfig(dir.resolve("hub.key"), List.of()),
                new PublicationConfig("community", Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofHours(6),
                        Duration.ofDays(7), null, false),
                new IntakeConfig(null, null, 1000.0, 10_000, null), AutoApproveConfig.defaults(),
                EnrollmentConfig.defaults(), ReviewConfig.defaults());
        System.out.printf("machine: %d cores, load %s; PostgreSQL durable (fsync on, synchronous commit); hub %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(),
                ownProcess ? "in its own JVM (" + HUB_JAVA_OPTIONS + ")" : "in the load generator's JVM");
        try (AutoCloseable hub = ownProcess ? HubProcess.start(config, dir, HUB_JAVA_OPTIONS)
                : Hub.start(config, Clock.systemUTC());
             Database db = Database.open(database)) {
            String base = "http://127.0.0.1:" + config.http().port();
            ProcessCpu hubCpu = ProcessCpu.of(ownProcess ? ((HubProcess) hub).pid() : ProcessHandle.current().pid());
            if (parts.contains("intake")) {
                intake(base, db, database, intakeSeconds, reportsPerSecond, ownProcess ? hubCpu : null);
            }
            if (parts.contains("publication")) {
                publication(base, db, config, key);
            }
            if (parts.contains("fanout")) {
                fanOut(base, db, key, agents);
            }
            System.out.printf("end: load %s%n", loadAverage());
        }
        System.exit(0); // the HTTP client's threads would keep the JVM up
    }

    private static final List<String> HUB_JAVA_OPTIONS = List.of(
            System.getProperty("hubbench.hubJavaOptions", "-Xmx1g").split(" "));

    static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    // --- intake -------------------------------------------------------------------------------------------

    private static void intake(String base, Database db, DatabaseConfig database, int seconds, int perSecond,
                               ProcessCpu hubCpu) throws Exception {
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
        // a fresh JVM's first seconds are the JIT's: batches of the warm-up run the same way but are not counted
        long warmup = batchesPerSecond * Integer.getInteger("hubbench.warmup", 20);
        List<List<Object>> retry = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] latency = new long[(int) total]; // by batch; written by the completions thread only
        Arrays.fill(latency, -1);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        // answers are counted on one thread of our own: CompletableFuture's default on 2 cores is a thread per task
        ExecutorService completions = Executors.newSingleThreadExecutor();
        ProcessCpu postgres = ProcessCpu.tree(postmasterPid(database));
        ProcessCpu generator = ProcessCpu.of(ProcessHandle.current().pid());
        double[] cpuBefore = new double[3];
        List<String> loads = new ArrayList<>();
        Statements statements = null;
        long firstDue = System.nanoTime();
        long start = 0;
        for (long n = 0; n < warmup + total; n++) {
            long due = firstDue + n * periodNanos; // open loop: latency counts from when the batch was due
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (n == warmup) {
                cpuBefore = new double[] {hubCpu == null ? 0 : hubCpu.seconds(), postgres.seconds(), generator.seconds()};
                statements = Statements.reset(database);
                start = due;
            }
            if ((n - warmup) % (batchesPerSecond * 15) == 0) {
                loads.add(loadAverage().replaceAll(" [0-9]+/.*", ""));
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
            long batch = n - warmup; // negative: warm-up
            pending.add(postAsync(base + HubPaths.REPORTS, credential, body).whenCompleteAsync((r, e) -> {
                if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                    retry.add(List.of(credential, body));
                    return;
                }
                if (batch >= 0) {
                    latency[(int) batch] = System.nanoTime() - due;
                }
                try {
                    ReportAck ack = ProtocolJson.mapper().readValue(r.body(), ReportAck.class);
                    acknowledged.addAndGet(batch >= 0 ? ack.accepted() : 0);
                } catch (java.io.IOException ex) {
                    failed.incrementAndGet();
                }
            }, completions));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).exceptionally(e -> null).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] cpu = {hubCpu == null ? 0 : hubCpu.seconds() - cpuBefore[0], postgres.seconds() - cpuBefore[1],
                generator.seconds() - cpuBefore[2]};
        completions.shutdown();
        // as an agent does: a batch without an answer is sent again (after the run, so it does not count in its
        // latency); the hub must count each report once
        long retriedAccepted = 0;
        long retriedDuplicates = 0;
        for (List<Object> batch : retry) {
            ReportAck ack = sendUntilAcknowledged(base, (String) batch.get(0), (byte[]) batch.get(1));
            retriedAccepted += ack.accepted();
            retriedDuplicates += ack.duplicates();
        }
        long[] sorted = Arrays.stream(latency).filter(l -> l >= 0).sorted().toArray();
        long stored;
        long distinct;
        try (Connection c = DriverManager.getConnection(database.url(), "postgres", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*), count(distinct (agent_id, report_id)) from report")) {
            r.next();
            stored = r.getLong(1);
            distinct = r.getLong(2);
        }
        System.out.printf("intake: after %d s of warm-up at the same rate (%d reports, not counted but stored): "
                        + "%d reports in %d batches of %d over %.1f s = %.0f reports/s offered; acknowledged %d, "
                        + "failed batches %d (sent again: %d reports new, %d already stored); stored in all %d of %d, "
                        + "distinct %d%n",
                warmup / batchesPerSecond, warmup * perBatch, total * perBatch, total, perBatch, elapsed,
                total * perBatch / elapsed, acknowledged.get(), failed.get(), retriedAccepted, retriedDuplicates, stored,
                (warmup + total) * perBatch, distinct);
        System.out.printf("intake: batch acknowledgement p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                pct(sorted, 50), pct(sorted, 99), pct(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        System.out.printf("intake: CPU seconds used: hub %s, PostgreSQL %.1f, load generator %.1f; per 1,000 reports: "
                        + "hub %s ms, PostgreSQL %.0f ms; load average every 15 s: %s%n",
                hubCpu == null ? "(shares the generator's JVM)" : String.format("%.1f", cpu[0]), cpu[1], cpu[2],
                hubCpu == null ? "-" : String.format("%.0f", cpu[0] * 1e6 / (total * perBatch)),
                cpu[1] * 1e6 / (total * perBatch), loads);
        // where in the run the slow batches were: per 10 s of due time
        StringBuilder over = new StringBuilder("intake: p99 / max per 10 s (ms):");
        int window = (int) batchesPerSecond * 10;
        for (int from = 0; from < latency.length; from += window) {
            long[] part = Arrays.stream(latency, from, Math.min(latency.length, from + window)).filter(l -> l >= 0)
                    .sorted().toArray();
            over.append(String.format(" %d-%ds %.0f/%.0f", from / batchesPerSecond, (from + window) / batchesPerSecond,
                    pct(part, 99), part.length == 0 ? 0 : part[part.length - 1] / 1e6));
        }
        System.out.println(over);
        statements.print("intake: PostgreSQL", 8);
        statements.printHousekeeping("intake: PostgreSQL");
    }

    private static ReportAck sendUntilAcknowledged(String base, String credential, byte[] body) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                HttpResponse<byte[]> r = post(base + HubPaths.REPORTS, credential, body);
                if (r.statusCode() == 200) {
                    return ProtocolJson.mapper().readValue(r.body(), ReportAck.class);
                }
                last = new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body()));
            } catch (java.util.concurrent.ExecutionException e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("a batch sent again 5 times was never acknowledged", last);
    }

    /** PostgreSQL's postmaster: the parent of the backend that answers. */
    static long postmasterPid(DatabaseConfig database) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(database.url(), "postgres", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_backend_pid()")) {
            r.next();
            long backend = r.getLong(1);
            return ProcessHandle.of(backend).flatMap(ProcessHandle::parent).orElseThrow().pid();
        }
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
