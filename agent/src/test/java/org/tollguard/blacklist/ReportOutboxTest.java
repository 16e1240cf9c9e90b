package org.tollguard.blacklist;

import org.tollguard.support.Wait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.config.HubConfig;
import org.tollguard.protocol.Pbx;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Target;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.Origin;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.ReportOutboxRepository;
import org.tollguard.store.Store;

/** The report outbox against a real HTTP hub on loopback: outages, refusals, restarts and a SIGKILL mid-batch. */
class ReportOutboxTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestHub hub;
    Store store;
    DecisionRepository repository;
    Decisions decisions;
    ReportOutbox outbox;
    /** Report ids in requests the hub answered 2xx, with how many times each was acknowledged. */
    final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    final Map<String, Integer> received = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        hub = new TestHub();
        store = Store.open(dir.resolve("tollguard.db"));
        repository = new DecisionRepository(store);
        decisions = new Decisions(repository, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        if (outbox != null) {
            outbox.close();
        }
        store.close();
        hub.close();
    }

    BlacklistConfig.Reporting reporting(boolean accounts, int batch) {
        return new BlacklistConfig.Reporting(true, accounts, batch, Duration.ofSeconds(5), Duration.ofMillis(50),
                Duration.ofMillis(200));
    }

    ReportOutbox start(BlacklistConfig.Reporting config) {
        outbox = new ReportOutbox(config, enrolled(dir, hub.url("/api"), "report-token"),
                new ReportOutboxRepository(store), repository, () -> new Pbx("asterisk", "22.5.0"), Clock.systemUTC());
        decisions.addListener(outbox);
        outbox.start();
        return outbox;
    }

    /** The hub config of an agent enrolled at {@code url} with {@code credential} (its file written in {@code dir}). */
    static HubConfig enrolled(Path dir, String url, String credential) {
        Path file = dir.resolve("hub-enrollment.json");
        try {
            new Enrollment(url, "7", "test-site", credential, "community", List.of(), Instant.now()).write(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new HubConfig(url, file, null, null, null);
    }

    /** A hub that answers {@code status} while {@code down} says so, else 200; counts ids received and acked. */
    void hubAnswering(BooleanSupplier down, int status) {
        hub.route("/api/v1/reports", x -> {
            JsonNode body = JSON.readTree(hub.requests.get(hub.requests.size() - 1).body());
            List<String> ids = new ArrayList<>();
            body.path("reports").forEach(r -> ids.add(r.path("id").asText()));
            ids.forEach(id -> received.merge(id, 1, Integer::sum));
            if (down.getAsBoolean()) {
                TestHub.send(x, status, "application/json", "{\"error\":\"down\"}");
                return;
            }
            ids.forEach(id -> acknowledged.merge(id, 1, Integer::sum));
            TestHub.send(x, 200, "application/json", "{\"accepted\":" + ids.size() + ",\"rejected\":[]}");
        });
    }

    void banLocally(int n) {
        for (int i = 1; i <= n; i++) {
            decisions.take(OutboxChild.ban("198.51.100." + i));
        }
    }

    @Test
    void hubDownForAWhileThenBackAllReportsArriveExactlyOnce() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        hubAnswering(() -> failures.incrementAndGet() <= 6, 503);
        start(reporting(true, 10));

        banLocally(25);
        decisions.take(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.50"), "by hand", Map.of(), Origin.OPERATOR,
                java.time.Instant.now(), null));
        decisions.take(Decision.of(DecisionKind.ALERT, new Target.ListSource("hub"), "refused", Map.of(), Origin.COMMUNITY,
                java.time.Instant.now(), null));

        Wait.until(Duration.ofSeconds(20), () -> acknowledged.size() == 25, "25 acknowledged reports");
        Thread.sleep(500);
        assertEquals(25, acknowledged.size());
        assertTrue(acknowledged.values().stream().allMatch(n -> n == 1), "each acknowledged once: " + acknowledged);
        assertTrue(failures.get() > 6, "the hub was down for six requests");
        assertEquals(Map.of("dropped", 0, "pending", 0, "sent", 25), outbox.counts());

        JsonNode report = JSON.readTree(hub.requestsTo("/api/v1/reports").get(0).body()).path("reports").get(0);
        assertEquals("Bearer report-token", hub.requestsTo("/api/v1/reports").get(0).header("Authorization"));
        assertEquals("198.51.100.1", report.path("address").asText());
        assertEquals(List.of("100", "admin"), JSON.convertValue(report.path("accounts"), List.class));
        assertEquals(5, report.path("counts").path("wrong-password").asInt());
        assertEquals("friendly-scanner", report.path("user-agents").get(0).asText());
        assertEquals("PJSIP", report.path("service").asText());
        assertEquals("UDP", report.path("transport").asText());
        assertEquals("asterisk", report.path("pbx").path("kind").asText());
        assertEquals("22.5.0", report.path("pbx").path("version").asText());
        assertFalse(report.path("agent-version").asText().isEmpty());
        assertEquals("2026-01-01T00:00:00Z", report.path("first-seen").asText());
    }

    @Test
    void a4xxDropsTheReportsWithAReasonAndARejectionDropsOne() throws Exception {
        hubAnswering(() -> true, 400);
        start(reporting(true, 10));
        banLocally(3);
        Wait.until(Duration.ofSeconds(20), () -> outbox.counts().get("dropped") == 3, "3 dropped reports");
        Thread.sleep(300);
        // the three may go out in one batch or more, but no report is sent again after its 4xx
        int sent = 0;
        for (var request : hub.requestsTo("/api/v1/reports")) {
            sent += JSON.readTree(request.body()).path("reports").size();
        }
        assertEquals(3, sent, "a 4xx is not retried");

        hub.route("/api/v1/reports", x -> {
            JsonNode body = JSON.readTree(hub.requests.get(hub.requests.size() - 1).body());
            String first = body.path("reports").get(0).path("id").asText();
            TestHub.send(x, 200, "application/json",
                    "{\"rejected\":[{\"id\":\"" + first + "\",\"reason\":\"documentation address\"}]}");
        });
        decisions.take(OutboxChild.ban("192.0.2.77"));
        decisions.take(OutboxChild.ban("192.0.2.78"));
        Wait.until(Duration.ofSeconds(20), () -> outbox.counts().get("sent") == 1, "1 sent report");
        assertEquals(4, outbox.counts().get("dropped"));
    }

    @Test
    void accountNamesCanBeKeptOut() throws Exception {
        hubAnswering(() -> false, 200);
        start(reporting(false, 10));
        banLocally(1);
        Wait.until(Duration.ofSeconds(20), () -> acknowledged.size() == 1, "a report");
        JsonNode report = JSON.readTree(hub.requestsTo("/api/v1/reports").get(0).body()).path("reports").get(0);
        assertTrue(report.path("accounts").isMissingNode(), report.toString());
        assertEquals(2, report.path("account-count").asInt());
        assertFalse(report.toString().contains("admin"));
    }

    @Test
    void reportsSurviveARestartWhileTheHubIsDownAndReportingOffReportsNothingLater() throws Exception {
        boolean[] down = {true};
        hubAnswering(() -> down[0], 502);
        start(reporting(true, 10));
        banLocally(7);
        Wait.until(Duration.ofSeconds(20), () -> received.size() == 7, "7 reports tried");
        outbox.close();
        decisions = new Decisions(repository, Clock.systemUTC());

        // a ban the agent stored without its report (it died in between) is caught up at the next start
        repository.insert(OutboxChild.ban("198.51.100.99"));
        down[0] = false;
        start(reporting(true, 10));
        Wait.until(Duration.ofSeconds(20), () -> acknowledged.size() == 8, "8 acknowledged reports");
        assertTrue(acknowledged.values().stream().allMatch(n -> n == 1));
        outbox.close();

        // reporting off: bans meanwhile are never reported, not even after turning it on again
        decisions = new Decisions(repository, Clock.systemUTC());
        start(BlacklistConfig.Reporting.defaults());
        decisions.take(OutboxChild.ban("198.51.100.100"));
        outbox.close();
        decisions = new Decisions(repository, Clock.systemUTC());
        start(reporting(true, 10));
        Thread.sleep(1000);
        assertEquals(8, acknowledged.size());
    }

    /**
     * The agent is killed (SIGKILL) while the hub holds its first batch unanswered; restarted, it sends that batch
     * again (the hub recognises the report ids) and the rest: every report arrives, and none is sent again once
     * acknowledged.
     */
    @Test
    void killedMidBatchThenRestartedNothingLostNothingResentAfterAcknowledgement() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        List<List<String>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<String> resentAfterAck = new java.util.concurrent.CopyOnWriteArrayList<>();
        hub.route("/api/v1/reports", x -> {
            JsonNode body = JSON.readTree(hub.requests.get(hub.requests.size() - 1).body());
            List<String> ids = new ArrayList<>();
            body.path("reports").forEach(r -> ids.add(r.path("id").asText()));
            batches.add(ids);
            ids.stream().filter(acked::contains).forEach(resentAfterAck::add);
            if (requests.incrementAndGet() == 1) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // the agent is dead: nobody reads the answer
            }
            TestHub.send(x, 200, "application/json", "{\"rejected\":[]}");
            acked.addAll(ids);
        });
        store.close();
        Path db = dir.resolve("tollguard.db");

        Process first = child(db, 12);
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the first batch reached the hub");
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        release.countDown();
        List<String> inFlight = batches.get(0);
        assertEquals(5, inFlight.size());

        Process second = child(db, 0);
        try {
            Wait.until(Duration.ofSeconds(20), () -> acked.size() == 12, "12 acknowledged reports");
            Thread.sleep(600);
        } finally {
            second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), resentAfterAck, "nothing is sent again after its acknowledgement");
        Set<String> all = new HashSet<>();
        batches.forEach(all::addAll);
        assertEquals(12, all.size(), "every report arrived");
        assertTrue(acked.containsAll(inFlight), "the batch in flight at the kill was sent again");

        store = Store.open(db);
        assertEquals(Map.of("dropped", 0, "pending", 0, "sent", 12), new ReportOutboxRepository(store).counts());
    }

    private Process child(Path db, int bans) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OutboxChild.class.getName(), db.toString(), hub.url("/api"), Integer.toString(bans))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread drain = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("child: " + line);
                }
            } catch (java.io.IOException e) {
                // child ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }
}
