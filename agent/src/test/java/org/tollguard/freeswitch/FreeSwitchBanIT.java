package org.tollguard.freeswitch;

import org.tollguard.support.Wait;
import org.tollguard.support.Ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollguard.Agent;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Enforcement;
import org.tollguard.firewall.Firewalls;
import org.tollguard.freeswitch.esl.Captures;
import org.tollguard.freeswitch.esl.FakeFreeSwitch;
import org.tollguard.freeswitch.esl.FakeFreeSwitch.Conn;

/**
 * IP defence through the FreeSWITCH adapter, end to end: the real agent ({@link Agent#start}, config read from
 * YAML, asterisk off, freeswitch on) connects to a server speaking the Event Socket protocol byte for byte, which
 * replays the real FreeSWITCH 1.10.12 captures with the attacker's address in {@code network-ip}; the real ban
 * engine bans into ipset+iptables inside a network namespace of our own, and real UDP packets from a second
 * namespace show the ban.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreeSwitchBanIT {
    private static final int SIP = 5060;
    private static final String SVCRACK = "198.51.100.2";
    private static final String PHONE = "198.51.100.3";
    private static final String COLLECTOR = "198.51.100.4"; // only collects challenges
    private static final String BYSTANDER = "198.51.100.5";
    private static final String SVCRACK6 = "2001:db8::2";
    private static final Duration ARRIVES = Duration.ofSeconds(3);
    private static final Duration SILENCE = Duration.ofMillis(800);

    private Namespaces net;
    private Namespaces.Receiver sip;
    private FakeFreeSwitch freeswitch;
    private TollguardConfig config;
    private Agent agent;
    private Conn conn;
    private final AtomicInteger tokens = new AtomicInteger();
    /** A hub that takes the agent's ban reports (every body received). */
    private com.sun.net.httpserver.HttpServer hub;
    private final java.util.concurrent.BlockingQueue<String> reports = new java.util.concurrent.LinkedBlockingQueue<>();

    @BeforeAll
    void network() throws Exception {
        Assumptions.assumeTrue(Namespaces.isRoot(), "skipped: needs root (network namespaces, netfilter)");
        for (String tool : List.of("ip", "ss", "socat", "ipset", "iptables", "ip6tables", "conntrack")) {
            if (!Namespaces.resolve(tool).startsWith("/")) {
                fail("'" + tool + "' is not installed: apt-get install iproute2 socat ipset iptables conntrack");
            }
        }
        net = Namespaces.create(List.of(SVCRACK, PHONE, COLLECTOR, BYSTANDER, SVCRACK6));
        sip = net.receive(SIP);
    }

    @AfterAll
    void deleteNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @BeforeEach
    void startAgent() throws Exception {
        freeswitch = new FakeFreeSwitch("tollguard-esl-secret");
        Path dir = Files.createTempDirectory("tollguard-fs-it");
        reports.clear(); // one instance for all tests: a report of the previous test's agent may come late
        hub = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            boolean report = x.getRequestURI().getPath().equals("/hub/v1/reports");
            if (report) {
                reports.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            byte[] answer = (report ? "{\"rejected\":[]}" : "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            x.sendResponseHeaders(report ? 200 : 404, answer.length == 0 ? -1 : answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        hub.start();
        String hubUrl = "http://127.0.0.1:" + hub.getAddress().getPort() + "/hub";
        Path credential = dir.resolve("hub-enrollment.json");
        new org.tollguard.blacklist.Enrollment(hubUrl, "7", "site", "t0k3n", "community", List.of(), Instant.now())
                .write(credential);
        config = ConfigLoader.parse("FreeSwitchBanIT", """
                store:
                  path: %s
                api:
                  port: %d
                  token-file: %s
                asterisk:
                  enabled: false
                freeswitch:
                  enabled: true
                  host: 127.0.0.1
                  port: %d
                  password: tollguard-esl-secret
                  reconnect-max: 2s
                  pre-dial:
                    port: %d
                firewall:
                  backend: ipset
                  netns: %s
                ban:
                  windows:
                    - name: fast
                      failures: 5
                      window: 60s
                  challenge-grace: 1s
                  trust-after-success: 7d
                hub: {url: "%s", credential-file: %s}
                """.formatted(dir.resolve("tollguard.db"), Ports.freePort(), dir.resolve("api.token"), freeswitch.port(),
                Ports.freePort(), net.srv, hubUrl, credential));
        agent = Agent.start(config, Clock.systemUTC());
        conn = freeswitch.awaitConnection(Duration.ofSeconds(10));
        Wait.until(Duration.ofSeconds(10), () -> agent.freeswitch().isConnected(), "Event Socket session");
        conn.awaitCommand("api show channels as json", Duration.ofSeconds(10));
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (freeswitch != null) {
            freeswitch.close();
        }
        if (config != null) {
            Firewalls.create(config.firewall()).tearDown();
        }
        if (hub != null) {
            hub.stop(0);
        }
    }

    @Test
    void svcrackIsBannedFromItsRegisterFailuresAndItsPacketsAreDropped() throws Exception {
        assertTrue(arrives(SVCRACK), "before the attack the PBX hears the attacker");
        assertTrue(arrives(BYSTANDER));

        long start = System.nanoTime();
        replaySvcrackRun(SVCRACK);
        Decision ban = awaitBan(SVCRACK);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ban.reason().startsWith("fast: 5 failures"), ban.reason());
        assertEquals(List.of("1000"), ban.evidence().get("accounts"));
        assertEquals(Map.of("auth-failed", 5), ban.evidence().get("counts"), "PBX-neutral labels");
        assertEquals("friendly-scanner", ban.evidence().get("user-agent"), ban.evidence().toString());
        assertEquals("SIP", ban.evidence().get("service"), ban.evidence().toString());

        assertFalse(arrives(SVCRACK), "banned in the kernel: dropped");
        assertTrue(arrives(BYSTANDER), "a neighbour in the same /24 is not affected");

        String batch = reports.poll(15, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(batch != null, "the ban is reported to the hub");
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(batch).path("reports").get(0);
        assertEquals(SVCRACK, report.path("address").asText(), batch);
        assertEquals("freeswitch", report.path("pbx").path("kind").asText(), batch);
        assertEquals("1.10.12-release~64bit", report.path("pbx").path("version").asText(), batch);
        assertEquals(5, report.path("counts").path("auth-failed").asInt(), batch);
        System.out.println("FreeSWITCH svcrack run -> ban in " + millis + " ms");
    }

    @Test
    void svcrackOverIpv6IsBannedToo() throws Exception {
        assertTrue(arrives(SVCRACK6));
        replaySvcrackRun(SVCRACK6);
        awaitBan(SVCRACK6);
        assertFalse(arrives(SVCRACK6));
    }

    @Test
    void aPhoneThatRegisteredIsTrustedNotBanned() throws Exception {
        conn.send(Replay.with(Replay.REGISTER_SUCCESS, "network-ip", PHONE));
        for (int i = 0; i < 6; i++) {
            conn.send(Replay.with(Replay.REGISTER_ATTEMPT_FORBIDDEN, "network-ip", PHONE));
            conn.send(Replay.with(Replay.WRONG_PASSWORD_FAILURE, "network-ip", PHONE));
        }
        Decision alert = awaitDecision(DecisionKind.ALERT, PHONE);
        assertTrue(String.valueOf(alert.evidence().get("not-banned-because")).startsWith("authenticated successfully"),
                alert.evidence().toString());
        assertTrue(activeBans(PHONE).isEmpty());
        assertTrue(arrives(PHONE), "the phone keeps working");
    }

    @Test
    void aScannerThatOnlyCollectsChallengesIsBannedFromItsPreRegisterEvents() throws Exception {
        assertTrue(arrives(COLLECTOR));
        for (int i = 0; i < 5; i++) {
            conn.send(Replay.with(Replay.with(Replay.SVCRACK_PRE_REGISTER, "network-ip", COLLECTOR), "to-user",
                    String.valueOf(100 + i)));
        }
        Decision ban = awaitBan(COLLECTOR); // after challenge-grace (1s) each unanswered challenge is a failure
        @SuppressWarnings("unchecked")
        Map<String, Integer> counts = (Map<String, Integer>) ban.evidence().get("counts");
        assertEquals(Map.of("challenge-unanswered", 5), counts, ban.evidence().toString());
        assertEquals(List.of("100", "101", "102", "103", "104"), ban.evidence().get("accounts"),
                "the accounts FreeSWITCH named in the challenges");
        assertFalse(arrives(COLLECTOR));
    }

    @Test
    void answeredChallengesOfAPhoneAreNoFailures() throws Exception {
        for (int i = 0; i < 8; i++) {
            // a re-registration as the captured sipp run: pre_register (the challenge), register_attempt, register
            for (String capture : List.of(Replay.REGISTER_PRE_REGISTER, Replay.REGISTER_ATTEMPT_RENEWED,
                    Replay.REGISTER_SUCCESS)) {
                conn.send(Replay.with(capture, "network-ip", PHONE));
            }
        }
        Thread.sleep(2500); // well past challenge-grace
        List<Decision> any = agent.bans().decisions().recent(50).stream()
                .filter(d -> d.target().text().equals(PHONE)).toList();
        assertTrue(any.isEmpty(), any.toString());
    }

    @Test
    void reconnectAfterTheServerDropsMidFrameKeepsBanning() throws Exception {
        byte[] half = Replay.with(Replay.SVCRACK_FAILURE, "network-ip", SVCRACK);
        conn.send(java.util.Arrays.copyOf(half, half.length / 2));
        conn.drop();
        conn = freeswitch.awaitConnection(Duration.ofSeconds(10));
        conn.awaitCommand("api show channels as json", Duration.ofSeconds(10));
        replaySvcrackRun(SVCRACK);
        awaitBan(SVCRACK);
        assertFalse(arrives(SVCRACK));
    }

    /** The captured svcrack run (raw-register: pre_register and register_failure, six times, and a last challenge). */
    private void replaySvcrackRun(String from) throws IOException {
        for (Path p : Captures.rawDir("raw-register")) {
            conn.send(Replay.with(Captures.bytes(p), "network-ip", from));
        }
    }

    private boolean arrives(String from) throws Exception {
        String token = "tgfs-" + tokens.incrementAndGet() + "-" + from;
        net.send(from, SIP, token);
        return sip.got(token, from.equals(BYSTANDER) || !isBanned(from) ? ARRIVES : SILENCE);
    }

    private boolean isBanned(String address) {
        return !activeBans(address).isEmpty();
    }

    private List<Decision> activeBans(String address) {
        return agent.bans().active().stream().filter(a -> a.enforcement().state() == Enforcement.State.HELD)
                .map(a -> a.decision()).filter(d -> d.target().text().equals(address)).toList();
    }

    private Decision awaitBan(String address) {
        return awaitDecision(DecisionKind.BAN_ADDRESS, address);
    }

    private Decision awaitDecision(DecisionKind kind, String address) {
        Wait.until(Duration.ofSeconds(10), () -> activeOf(kind, address) != null, kind + " of " + address);
        return activeOf(kind, address);
    }

    /** A ban or block in force, or an alert (which is not held: it is in force once taken). */
    private Decision activeOf(DecisionKind kind, String address) {
        java.util.stream.Stream<Decision> candidates = kind.lasting()
                ? agent.bans().decisions().active(kind).stream()
                        .filter(a -> a.enforcement().state() == Enforcement.State.HELD).map(a -> a.decision())
                : agent.bans().decisions().recent(1000).stream().filter(d -> d.kind() == kind);
        return candidates.filter(d -> d.target().text().equals(address)).findFirst().orElse(null);
    }
}
