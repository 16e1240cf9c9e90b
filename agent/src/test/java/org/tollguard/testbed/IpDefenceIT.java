package org.tollguard.testbed;

import org.tollguard.support.Wait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.Agent;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;

/**
 * IP defence end to end on the real testbed: real attacks from the internet namespace, bans in the PBX
 * namespace's kernel firewall, asserted with real packets.
 */
class IpDefenceIT {
    private static final String PHONE = "198.51.100.20";

    private TollguardConfig config;
    private Agent agent;

    @BeforeAll
    static void up() {
        Testbed.up();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (config != null) {
            AgentHarness.tearDownFirewall(config);
        }
    }

    /** A ban section as an operator writes it: the given windows, trust on, no enumeration rule. */
    private static String ban(String windows) {
        return """
                ban:
                  windows:
                %s
                  enumeration:
                    accounts: 0
                  challenge-grace: 3s
                  bantime: 1h
                  bantime-max: 1d
                """.formatted(windows.indent(4).stripTrailing());
    }

    private static String fast() {
        return ban("""
                - {name: fast, failures: 5, window: 60s}
                - {name: slow, failures: 30, window: 6h}
                """);
    }

    private void start(FirewallConfig.Backend backend, String sections) throws Exception {
        Path dir = AgentHarness.tempDir();
        config = AgentHarness.config(dir, backend, sections);
        agent = AgentHarness.start(config);
    }

    @Test
    void svcrackIsBannedAndDroppedWhileThePhoneKeepsWorking() throws Exception {
        start(FirewallConfig.Backend.IPSET, fast());
        String attacker = "203.0.113.66";
        assertTrue(Testbed.answers(attacker, Testbed.PBX_V4, false), "before the attack the PBX answers the attacker");
        assertTrue(Testbed.register(PHONE, Testbed.PBX_V4, "1001", "pw-1001-secret"), "phone registers before");

        Testbed.Result crack = Testbed.svcrack(attacker, Testbed.PBX_V4, "1001", "1-20");
        Decision ban = AgentHarness.awaitBan(agent, attacker, Duration.ofSeconds(10));
        assertTrue(ban.reason().startsWith("fast: 5 failures"), ban.reason());
        @SuppressWarnings("unchecked")
        Map<String, Integer> counts = (Map<String, Integer>) ban.evidence().get("counts");
        assertTrue(counts.getOrDefault("wrong-password", 0) >= 1, ban.evidence().toString());
        assertEquals(List.of("1001"), ban.evidence().get("accounts"));
        assertEquals("UDP", ban.evidence().get("transport"));

        assertFalse(Testbed.answers(attacker, Testbed.PBX_V4, false), "banned attacker's UDP is dropped: " + crack.output());
        assertFalse(Testbed.answers(attacker, Testbed.PBX_V4, true), "and its TCP");
        assertTrue(Testbed.pbx(10, "ipset", "test", "tollguard-ban4", attacker).exit() == 0, "entry in the kernel set");
        assertTrue(Testbed.register(PHONE, Testbed.PBX_V4, "1001", "pw-1001-secret"), "the phone still registers");
        assertTrue(Testbed.answers("203.0.113.67", Testbed.PBX_V4, false), "another address is not affected");

        assertEquals(1, agent.bans().unban(attacker, "test", "done"));
        assertTrue(Testbed.answers(attacker, Testbed.PBX_V4, false), "unban lifts the kernel entry at once");
    }

    @Test
    void ipv6AttackerIsBanned() throws Exception {
        start(FirewallConfig.Backend.NFTABLES, fast());
        String attacker = "2001:db8::66";
        assertTrue(Testbed.answers(attacker, Testbed.PBX_V6, false));
        Testbed.svcrack(attacker, Testbed.PBX_V6, "1002", "1-20");
        AgentHarness.awaitBan(agent, attacker, Duration.ofSeconds(10));
        assertFalse(Testbed.answers(attacker, Testbed.PBX_V6, false), "banned IPv6 attacker is dropped");
        assertTrue(Testbed.register("2001:db8::20", Testbed.PBX_V6, "1002", "pw-1002-secret"), "IPv6 phone still works");
    }

    @Test
    void tcpPasswordGuessingIsBanned() throws Exception {
        start(FirewallConfig.Backend.IPSET, fast());
        String attacker = "203.0.113.68";
        Testbed.wrongPassword(attacker, Testbed.PBX_V4, "1001", 6, true);
        Decision ban = AgentHarness.awaitBan(agent, attacker, Duration.ofSeconds(10));
        assertEquals("TCP", ban.evidence().get("transport"));
        assertFalse(Testbed.answers(attacker, Testbed.PBX_V4, true), "banned TCP attacker cannot connect");
    }

    @Test
    void slowScannerIsCaughtBySlowWindow() throws Exception {
        start(FirewallConfig.Backend.IPSET, ban("""
                - {name: fast, failures: 3, window: 2s}
                - {name: slow, failures: 5, window: 5m}
                """));
        String attacker = "203.0.113.69";
        for (int i = 0; i < 5; i++) {
            Testbed.wrongPassword(attacker, Testbed.PBX_V4, "100" + (i % 3 + 1), 1, false);
            if (i < 4) {
                assertNull(AgentHarness.banOf(agent, attacker), "not banned after " + (i + 1) + " slow attempts");
                Thread.sleep(1200); // under the fast window's rate
            }
        }
        Decision ban = AgentHarness.awaitBan(agent, attacker, Duration.ofSeconds(5));
        assertTrue(ban.reason().startsWith("slow: 5 failures"), ban.reason());
        assertFalse(Testbed.answers(attacker, Testbed.PBX_V4, false));
    }

    @Test
    void phoneWithStalePasswordBehindTrustedAddressIsNotBanned() throws Exception {
        start(FirewallConfig.Backend.IPSET, fast());
        String office = "198.51.100.22";
        assertTrue(Testbed.register(office, Testbed.PBX_V4, "1002", "pw-1002-secret"));
        Testbed.wrongPassword(office, Testbed.PBX_V4, "1003", 7, false);
        Wait.until(Duration.ofSeconds(10), () -> alerts(office) > 0, "an alert for " + office);
        assertNull(AgentHarness.banOf(agent, office));
        assertTrue(Testbed.register(office, Testbed.PBX_V4, "1002", "pw-1002-secret"), "the office keeps working");
    }

    private long alerts(String address) {
        return agent.bans().decisions().recent(100).stream()
                .filter(d -> d.kind() == DecisionKind.ALERT && d.target().text().equals(address)).count();
    }

    @Test
    void restartReappliesActiveBansButNotExpiredOnes() throws Exception {
        start(FirewallConfig.Backend.IPSET, fast());
        agent.bans().ban("203.0.113.70", Duration.ofHours(1), "long", "test");
        agent.bans().ban("198.51.100.28", Duration.ofSeconds(2), "short", "test");
        agent.close();
        agent = null;
        AgentHarness.tearDownFirewall(config); // as after a reboot: ipset is empty
        Thread.sleep(2500);
        agent = AgentHarness.start(config);
        assertTrue(Testbed.pbx(10, "ipset", "test", "tollguard-ban4", "203.0.113.70").exit() == 0, "active ban back");
        assertFalse(Testbed.pbx(10, "ipset", "test", "tollguard-ban4", "198.51.100.28").exit() == 0, "expired stays out");
        assertFalse(Testbed.answers("203.0.113.70", Testbed.PBX_V4, false));
        assertTrue(Testbed.answers("198.51.100.28", Testbed.PBX_V4, false));
    }

    @Test
    void asteriskRestartIsSurvived() throws Exception {
        start(FirewallConfig.Backend.IPSET, fast());
        Testbed.cli("core restart now");
        Wait.until(Duration.ofSeconds(30), () -> !agent.ami().isConnected(), "AMI to notice the restart");
        Wait.until(Duration.ofSeconds(60), () -> agent.ami().isConnected(), "AMI reconnect");
        Wait.until(Duration.ofSeconds(30), () -> Testbed.answers("203.0.113.67", Testbed.PBX_V4, false), "PJSIP back");
        Testbed.svcrack("203.0.113.67", Testbed.PBX_V4, "1001", "1-20");
        AgentHarness.awaitBan(agent, "203.0.113.67", Duration.ofSeconds(10));
        assertFalse(Testbed.answers("203.0.113.67", Testbed.PBX_V4, false));
    }
}
