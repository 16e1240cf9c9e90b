package org.tollguard.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.support.HubClient;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.PostgresExtension;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.EnrollResponse;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.Report;
import org.tollguard.protocol.ReportAck;
import org.tollguard.protocol.ReportBatch;

/**
 * Two hub processes ({@code tollguard-hub serve}) on one PostgreSQL; one is killed with SIGKILL while batches are
 * in flight, the client carries on against the other: no report lost, none counted twice.
 */
class TwoHubsKillIT {
    private static final int THREADS = 4;
    private static final int BATCHES = 20;
    private static final int PER_BATCH = 50;

    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path dir;

    private final List<Process> hubs = new ArrayList<>();

    @AfterEach
    void stopHubs() {
        hubs.forEach(Process::destroyForcibly);
    }

    @Test
    void killingOneInstanceMidBatchLosesAndDoublesNothing() throws Exception {
        TestHubs.writeKey(dir);
        DatabaseConfig database = postgres.database();
        int portA = PostgresCluster.freePort();
        int portB = PostgresCluster.freePort();
        Process a = startHub("a", database, portA);
        Process b = startHub("b", database, portB);
        HubClient clientA = new HubClient(portA);
        HubClient clientB = new HubClient(portB);
        awaitUp(clientA, a);
        awaitUp(clientB, b);

        String token;
        try (Database db = Database.open(database)) {
            token = new Enrollment(db, 100).createToken("acme", "acme", "operator:test", Instant.now().plusSeconds(600));
        }
        String credential = HubClient.read(clientA.postJson(HubPaths.ENROLL, null,
                new EnrollRequest(1, token, "pbx", "0.1.0")), EnrollResponse.class).credential();

        AtomicReference<HubClient> current = new AtomicReference<>(clientA);
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failedRequests = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        ExecutorService agents = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            work.add(agents.submit(() -> {
                for (int batch = 0; batch < BATCHES; batch++) {
                    List<Report> reports = new ArrayList<>();
                    for (int i = 0; i < PER_BATCH; i++) {
                        reports.add(HubApiIT.report("t" + thread + "-b" + batch + "-r" + i,
                                "203.0." + (113 + thread % 2) + "." + (1 + (batch * PER_BATCH + i) % 250)));
                    }
                    ReportAck ack = sendUntilAcknowledged(current, clientB, credential, reports, failedRequests, inFlight);
                    assertEquals(PER_BATCH, ack.accepted() + ack.duplicates(), "batch " + batch + ": " + ack);
                    assertTrue(ack.rejected().isEmpty(), ack.toString());
                    acked.addAndGet(PER_BATCH);
                }
                return null;
            }));
        }
        // kill instance A while batches are in flight
        while (acked.get() < THREADS * PER_BATCH * 3 || inFlight.get() == 0) {
            Thread.sleep(1);
        }
        new ProcessBuilder("kill", "-9", Long.toString(a.pid())).start().waitFor();
        a.waitFor(10, TimeUnit.SECONDS);
        assertEquals(137, a.exitValue(), "instance A died of SIGKILL");
        for (Future<?> f : work) {
            f.get(120, TimeUnit.SECONDS);
        }
        agents.shutdown();

        int total = THREADS * BATCHES * PER_BATCH;
        assertEquals(total, acked.get());
        assertTrue(failedRequests.get() > 0, "the kill hit no request in flight");
        try (Connection c = DriverManager.getConnection(database.url(), "postgres", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                     "select count(*), count(distinct report_id) from report")) {
            r.next();
            assertEquals(total, r.getInt(1), "every report stored once");
            assertEquals(total, r.getInt(2));
        }
        // B still publishes
        assertEquals(200, clientB.get(HubPaths.head("community")).statusCode());
    }

    /** What an agent's outbox does: the same batch again until it is acknowledged, on the other hub if need be. */
    private static ReportAck sendUntilAcknowledged(AtomicReference<HubClient> current, HubClient fallback,
                                                   String credential, List<Report> reports, AtomicInteger failures,
                                                   AtomicInteger inFlight) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            HubClient client = current.get();
            try {
                HttpResponse<byte[]> answer;
                inFlight.incrementAndGet();
                try {
                    answer = client.postJson(HubPaths.REPORTS, credential, ReportBatch.of(reports));
                } finally {
                    inFlight.decrementAndGet();
                }
                if (answer.statusCode() == 200) {
                    return HubClient.read(answer, ReportAck.class);
                }
                failures.incrementAndGet();
            } catch (IOException e) {
                failures.incrementAndGet();
                current.set(fallback);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("batch never acknowledged");
    }

    private Process startHub(String name, DatabaseConfig database, int port) throws IOException {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, String.join("\n",
                "database:",
                "  url: " + database.url(),
                "  user: postgres",
                "http:",
                "  address: 127.0.0.1",
                "  port: " + port,
                "signing:",
                "  secret-key: " + dir.resolve("hub.key"),
                "publication:",
                "  interval: 200ms",
                "intake:",
                "  rate: 100000",
                "  burst: 100000",
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.tollguard.hub.cli.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        hubs.add(p);
        return p;
    }

    private void awaitUp(HubClient client, Process hub) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(hub.isAlive(), () -> "hub died: " + log(hub));
            try {
                if (client.get(HubPaths.head("community")).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("hub did not come up: " + log(hub));
    }

    private String log(Process hub) {
        try {
            return Files.readString(dir.resolve((hubs.indexOf(hub) == 0 ? "a" : "b") + ".log"));
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
