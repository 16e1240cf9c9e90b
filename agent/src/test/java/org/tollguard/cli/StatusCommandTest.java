package org.tollguard.cli;

import org.tollguard.support.Ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.Agent;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.support.WebhookServer;

/**
 * {@code tollguard status} against a real running agent (log-only firewall): its AMI points at a port where no
 * Asterisk listens, so the PBX is down; bans and blocks are made with the CLI; alerts go to a real webhook and
 * the metrics are scraped from the agent's exporter.
 */
class StatusCommandTest {
    @TempDir
    Path dir;
    WebhookServer hook;
    Agent agent;
    Path configFile;
    int amiPort;
    int metricsPort;

    @BeforeEach
    void start() throws Exception {
        hook = new WebhookServer();
        amiPort = Ports.freePort();
        metricsPort = Ports.freePort();
        String yaml = """
                store:
                  path: %s
                api:
                  port: %d
                  token-file: %s
                asterisk:
                  host: 127.0.0.1
                  port: %d
                  reconnect-max: 1s
                firewall:
                  backend: log
                calls:
                  pre-dial:
                    port: %d
                metrics:
                  port: %d
                alerts:
                  name: test-pbx
                  min-severity: notice
                  digest-interval: 1h
                  pbx-down-after: 1s
                  webhooks:
                    - name: noc
                      url: %s
                """.formatted(dir.resolve("t.db"), Ports.freePort(), dir.resolve("api.token"), amiPort, Ports.freePort(), metricsPort,
                hook.url("/alerts"));
        configFile = dir.resolve("tollguard.yml");
        Files.writeString(configFile, yaml);
        TollguardConfig config = ConfigLoader.load(configFile);
        agent = Agent.start(config, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        hook.close();
    }

    /** Runs a CLI command with this agent's config; returns what it printed. */
    private String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--config";
            all[args.length + 1] = configFile.toString();
            int status = Main.commandLine().execute(all);
            assertEquals(0, status, "tollguard " + String.join(" ", args) + " failed: " + buffer);
        } finally {
            System.setOut(saved);
        }
        // the agent runs in this JVM: leave out its log lines (logback writes to System.out too)
        return buffer.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} level=.*"))
                .map(l -> l + "\n").reduce("", String::concat);
    }

    @Test
    void oneScreenWithEverySection() throws Exception {
        awaitPbxDown();
        cli("ban", "203.0.113.5", "--for", "2h", "--reason", "seen scanning");
        cli("block", "4711", "--reason", "customer asked");

        String screen = cli("status");
        System.out.println(screen);
        List<String> lines = screen.lines().toList();
        assertTrue(lines.get(0).startsWith("tollguard "), screen);
        assertSection(lines, "PBX connections", "asterisk 127.0.0.1:" + amiPort);
        assertTrue(screen.contains("asterisk 127.0.0.1:" + amiPort) && screen.matches("(?s).*127\\.0\\.0\\.1:" + amiPort
                + " +DOWN +since .*"), screen);
        assertSection(lines, "Bans", "1 active (local 0, community 0, operator 1); ban engine: 0 events, 0 dropped");
        assertTrue(screen.matches("(?s).*203\\.0\\.113\\.5 +operator +(1h59m\\d*s?|2h) left +seen scanning.*"), screen);
        assertSection(lines, "Community lists", "not configured");
        assertSection(lines, "Live calls", "0 live, 0 outgoing");
        assertSection(lines, "Blocked accounts", "4711");
        assertSection(lines, "Alerts", "webhook noc");
        assertTrue(screen.contains("metrics: http://127.0.0.1:" + metricsPort + "/metrics"), screen);
        assertSection(lines, "Last decisions", "block-account");
        assertTrue(screen.matches("(?s).*Last decisions\n.*block-account +4711 +operator +customer asked\n.*ban-address +203\\.0\\.113\\.5 .*"),
                screen);
        assertTrue(lines.size() <= 50, "one screen: " + lines.size() + " lines");
    }

    @Test
    void theApiAnswersWithEverySection() throws Exception {
        awaitPbxDown();
        JsonNode s = new AdminClient(ConfigLoader.load(configFile).api()).get("/v1/status");
        assertEquals(1, s.path("pbx").size());
        assertEquals(false, s.path("pbx").get(0).path("up").asBoolean());
        assertTrue(s.path("communityLists").isNull(), "not configured");
        assertTrue(s.path("outboxDepth").isNull());
        assertEquals(0, s.path("bans").path("total").asInt());
        assertEquals(0, s.path("calls").path("live").asInt());
        assertEquals("noc", s.path("alerts").path("channels").get(0).path("name").asText());
        assertEquals("notice", s.path("alerts").path("channels").get(0).path("minSeverity").asText());
        assertEquals(metricsPort, s.path("metricsPort").asInt());

        // a module reporting a community list makes that section appear
        agent.metrics().syncSource("voipbl");
        agent.events().syncCompleted("voipbl", Duration.ofSeconds(2), 120_000);
        agent.metrics().outboxDepth(() -> 3);
        String screen = cli("status");
        assertTrue(screen.matches("(?s).*Community lists\n  voipbl +120000 entries +synced .*"), screen);
        assertTrue(screen.contains("report outbox: 3 waiting"), screen);
    }

    @Test
    void theAgentAlertsAndCountsAndSendsWhatIsPendingWhenItStops() throws Exception {
        awaitPbxDown();
        cli("ban", "203.0.113.5", "--for", "2h");
        cli("block", "4711");

        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(text.contains("tollguard_pbx_up{pbx=\"asterisk 127.0.0.1:" + amiPort + "\"} 0.0"), text);
        assertTrue(text.contains("tollguard_decisions_total{kind=\"ban-address\",origin=\"operator\"} 1.0"), text);
        assertTrue(text.contains("tollguard_bans_active{origin=\"operator\"} 1.0"), text);
        assertTrue(text.contains("tollguard_blocked_accounts 1.0"), text);

        // the PBX outage (after pbx-down-after) is pending in the hour-long digest
        long end = System.nanoTime() + 5_000_000_000L;
        while (agent.alerts().channels().get(0).pending() < 3 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(3, agent.alerts().channels().get(0).pending());
        assertEquals(0, hook.requests().size());
        agent.close();
        agent = null;
        List<WebhookServer.Request> got = hook.requests();
        assertEquals(1, got.size(), "stopping sends the pending digest");
        JsonNode body = got.get(0).json();
        assertEquals("test-pbx", body.path("agent").asText());
        assertEquals(3, body.path("total").asLong());
        assertEquals(1, body.path("counts").path("pbx-down").asLong());
        assertEquals(1, body.path("counts").path("ban-address").asLong());
        assertEquals(1, body.path("counts").path("block-account").asLong());
        assertEquals("critical", body.path("highest-severity").asText());
    }

    private void awaitPbxDown() throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (agent.ami().stateSince() == null && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertNull(agent.ami().isConnected() ? "up" : null, "nothing listens on the AMI port");
        assertTrue(agent.ami().stateSince() != null, "the failed connect was reported");
    }

    private static void assertSection(List<String> lines, String title, String firstLineContains) {
        int i = lines.indexOf(title);
        assertTrue(i > 0, "no section " + title + " in " + lines);
        assertTrue(lines.get(i + 1).contains(firstLineContains), title + ": " + lines.get(i + 1));
    }
}
