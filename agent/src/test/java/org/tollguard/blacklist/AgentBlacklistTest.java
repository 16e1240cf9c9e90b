package org.tollguard.blacklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.Agent;
import org.tollguard.cli.Main;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.support.Ports;

/**
 * The real agent (log firewall, no PBX) with a list source and reporting against a real HTTP server: the list is
 * synced at start-up, {@code tollguard lists} and {@code tollguard sync} talk to it, and a local ban reaches the hub.
 */
class AgentBlacklistTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestHub hub;
    Agent agent;

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void syncsAtStartUpAnswersTheCliAndReportsALocalBan() throws Exception {
        hub = new TestHub();
        hub.route("/lists/voipbl.txt", x -> TestHub.send(x, 200, "text/plain", "# list\n45.0.0.1\n45.0.0.0/24\n45.1.1.1\n"));
        hub.route("/hub/v1/reports", x -> TestHub.send(x, 200, "application/json", "{\"rejected\":[]}"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("tollguard.yml");
        Path credential = dir.resolve("hub-enrollment.json");
        new Enrollment(hub.url("/hub"), "7", "site", "t0k3n", "community", java.util.List.of(), java.time.Instant.now())
                .write(credential);
        Files.writeString(config, """
                store: {path: %s}
                api: {port: %d, token-file: %s}
                asterisk: {enabled: false}
                firewall: {backend: log}
                blacklist:
                  sources:
                    - {name: voipbl, type: plain, url: "%s", jitter: 0s}
                hub: {url: "%s", credential-file: %s}
                """.formatted(dir.resolve("tollguard.db"), port, dir.resolve("api.token"),
                hub.url("/lists/voipbl.txt"), hub.url("/hub"), credential));
        TollguardConfig parsed = ConfigLoader.load(config);
        agent = Agent.start(parsed, Clock.systemUTC());
        BlacklistSyncTest.awaitRuns(agent.blacklist(), "voipbl", 1);
        assertEquals(3, agent.blacklist().list("voipbl").size());

        String lists = cli("lists", "--config", config.toString());
        System.out.println(lists);
        assertTrue(lists.contains("voipbl") && lists.contains("plain") && lists.contains(" 3 "), lists);
        assertTrue(lists.contains("reports to the hub: 0 pending"), lists);

        hub.route("/lists/voipbl.txt", x -> TestHub.send(x, 200, "text/plain", "45.0.0.1\n45.0.0.0/24\n45.1.1.1\n45.2.2.2\n"));
        String sync = cli("sync", "voipbl", "--config", config.toString());
        assertTrue(sync.contains("voipbl: 4 entries in force"), sync);

        for (int i = 0; i < 5; i++) {
            agent.banEngine().onEvent(new AuthEvent(AuthOutcome.FAILED, "InvalidPassword", AuthKind.WRONG_PASSWORD,
                    IpAddresses.parse("203.0.113.66"), 5060, "UDP", "PJSIP", "100" + i, "", "sipvicious", null,
                    Instant.now()));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hub.requestsTo("/hub/v1/reports").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, hub.requestsTo("/hub/v1/reports").size());
        JsonNode report = JSON.readTree(hub.requestsTo("/hub/v1/reports").get(0).body()).path("reports").get(0);
        assertEquals("203.0.113.66", report.path("address").asText());
        assertEquals(5, report.path("counts").path("wrong-password").asInt());
        assertEquals("sipvicious", report.path("user-agents").get(0).asText());
        assertEquals("Bearer t0k3n", hub.requestsTo("/hub/v1/reports").get(0).header("Authorization"));
    }

    @Test
    void aRefusedShrinkIsAcceptedOnceByTheOperatorAndTheNextOneIsRefusedAgain() throws Exception {
        hub = new TestHub();
        String[] served = {BlacklistSyncTest.addresses(10, 50)};
        hub.route("/lists/voipbl.txt", x -> TestHub.send(x, 200, "text/plain", served[0]));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("tollguard.yml");
        Files.writeString(config, """
                store: {path: %s}
                api: {port: %d, token-file: %s}
                asterisk: {enabled: false}
                firewall: {backend: log}
                blacklist:
                  sources:
                    - {name: voipbl, type: plain, url: "%s", jitter: 0s}
                """.formatted(dir.resolve("tollguard.db"), port, dir.resolve("api.token"), hub.url("/lists/voipbl.txt")));
        agent = Agent.start(ConfigLoader.load(config), Clock.systemUTC());
        BlacklistSyncTest.awaitRuns(agent.blacklist(), "voipbl", 1);
        assertEquals(10, agent.blacklist().list("voipbl").size());

        served[0] = BlacklistSyncTest.addresses(4, 50); // 60 % fewer, more than max-shrink's 50 %
        Run refused = run("sync", "voipbl", "--config", config.toString());
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.out().contains("voipbl: not applied, 10 entries kept") && refused.out().contains("shrank by 60%")
                && refused.out().contains("--accept-shrink"), refused.out());
        assertEquals(10, agent.blacklist().list("voipbl").size());

        Run accepted = run("sync", "voipbl", "--accept-shrink", "--config", config.toString());
        assertEquals(0, accepted.exit(), accepted.out());
        assertTrue(accepted.out().contains("voipbl: 4 entries in force"), accepted.out());
        assertEquals(4, agent.blacklist().list("voipbl").size());
        String user = System.getProperty("user.name");
        Decision record = agent.bans().decisions().recent(20).stream()
                .filter(d -> d.kind() == DecisionKind.ALERT && d.target().equals(new Target.ListSource("voipbl")))
                .findFirst().orElseThrow(() -> new AssertionError("the accepted shrink is not recorded"));
        assertEquals(Origin.OPERATOR, record.origin());
        assertTrue(String.valueOf(record.evidence().get("by")).contains(user), record.toString());
        assertEquals(10, record.evidence().get("from"));
        assertEquals(4, record.evidence().get("to"));

        served[0] = BlacklistSyncTest.addresses(1, 50); // the acceptance was for one sync only
        Run again = run("sync", "voipbl", "--config", config.toString());
        assertEquals(1, again.exit(), again.out());
        assertTrue(again.out().contains("voipbl: not applied, 4 entries kept"), again.out());
        assertEquals(4, agent.blacklist().list("voipbl").size());

        Run everything = run("sync", "--accept-shrink", "--config", config.toString());
        assertEquals(1, everything.exit(), "a shrink is accepted for one named source only");
    }

    @Test
    void eachFailedSyncIsAlertedOnceAndCountedOnce() throws Exception {
        hub = new TestHub();
        hub.route("/lists/voipbl.txt", x -> TestHub.send(x, 502, "text/plain", "bad gateway"));
        int metricsPort = Ports.freePort();
        Path config = dir.resolve("tollguard.yml");
        Files.writeString(config, """
                store: {path: %s}
                api: {port: %d, token-file: %s}
                asterisk: {enabled: false}
                firewall: {backend: log}
                metrics: {port: %d}
                alerts:
                  digest-interval: 1h
                  min-severity: info
                  webhooks:
                    - {name: noc, url: "%s"}
                blacklist:
                  sources:
                    - {name: voipbl, type: plain, url: "%s", jitter: 0s}
                """.formatted(dir.resolve("tollguard.db"), Ports.freePort(), dir.resolve("api.token"), metricsPort,
                hub.url("/never-called"), hub.url("/lists/voipbl.txt")));
        agent = Agent.start(ConfigLoader.load(config), Clock.systemUTC());
        BlacklistSyncTest.awaitRuns(agent.blacklist(), "voipbl", 1);
        assertFailures(metricsPort, 1);

        run("sync", "voipbl", "--config", config.toString());
        assertFailures(metricsPort, 2);
    }

    /** {@code n} failed syncs: {@code n} alerts waiting for the digest, the failure counter at {@code n}. */
    private void assertFailures(int metricsPort, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (agent.alerts().channels().get(0).pending() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // a second alert or count for the same failure would come now
        assertEquals(n, agent.alerts().channels().get(0).pending(), "one alert per failed sync");
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(text.contains("tollguard_community_sync_failures_total{source=\"voipbl\"} " + n + ".0"), text);
    }

    private record Run(int exit, String out) {}

    private static Run run(String... args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        int code;
        try {
            code = Main.commandLine().execute(args);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    private static String cli(String... args) {
        Run r = run(args);
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }
}
