package org.tollguard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.Agent;
import org.tollguard.blacklist.Enrollment;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.store.ReportOutboxRepository;
import org.tollguard.support.Wait;
import org.tollguard.testbed.AgentHarness;
import org.tollguard.testbed.Testbed;

/**
 * The community loop on real parts: svcrack attacks PBX A of the testbed; A's agent bans it and reports it to a real
 * hub process on PostgreSQL, which is killed with SIGKILL and started again on the way; an operator approves the
 * address; PBX B's agent, enrolled at the same hub, which never saw the attacker,
 * drops its packets.
 */
class LoopIT {
    private static final String ATTACKER = "203.0.113.69";

    private final List<Agent> agents = new ArrayList<>();
    private final List<TollguardConfig> configs = new ArrayList<>();
    private HubProcess hub;

    @BeforeAll
    static void up() {
        Testbed.upBoth();
    }

    @AfterEach
    void stop() throws Exception {
        for (Agent agent : agents) {
            agent.close();
        }
        for (TollguardConfig config : configs) {
            AgentHarness.tearDownFirewall(config);
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void anAddressBannedAtAIsDroppedAtBOnceApprovedAndAHubCrashLosesNoReport() throws Exception {
        Path dir = AgentHarness.tempDir();
        hub = HubProcess.start(dir, """
                auto-approve:
                  enabled: false
                """);
        Agent a = enrolledAgent(dir.resolve("a"), "pbx-a", Testbed.AMI_HOST, Testbed.PBX_NETNS);
        enrolledAgent(dir.resolve("b"), "pbx-b", Testbed.AMI_HOST_B, Testbed.PBX_B_NETNS);
        assertTrue(Testbed.answers(ATTACKER, Testbed.PBX_B_V4, false), "B answers the attacker before anything");

        hub.kill9();
        Testbed.Result crack = Testbed.svcrack(ATTACKER, Testbed.PBX_V4, "1001", "1-20");
        AgentHarness.awaitBan(a, ATTACKER, Duration.ofSeconds(10));
        assertFalse(Testbed.answers(ATTACKER, Testbed.PBX_V4, false), "dropped at A: " + crack.output());
        assertEquals(1, a.reports().counts().getOrDefault(ReportOutboxRepository.PENDING, 0),
                "the report waits in A's outbox while the hub is down");

        hub.restart();
        Wait.until(Duration.ofSeconds(15), () -> a.reports().counts().getOrDefault(ReportOutboxRepository.SENT, 0) == 1,
                () -> "the report acknowledged by the restarted hub, outbox: " + a.reports().counts());
        assertEquals(1, storedReports(ATTACKER), "the hub holds the report once");
        Thread.sleep(2000); // B polls every second: a reported address alone is not on the list
        assertTrue(Testbed.answers(ATTACKER, Testbed.PBX_B_V4, false), "B still answers: reported, not approved");

        try (Database db = Database.open(hub.database())) {
            // what tollguard-hub approve ADDR does (its own test: CliIT)
            new Approvals(db, "community").approve(ATTACKER, "operator:test", "sip-bruteforce", null);
        }
        Wait.until(Duration.ofSeconds(15),
                () -> Testbed.pbxB(10, "ipset", "test", "tollguard-list4-hub", ATTACKER).exit() == 0,
                () -> "the approved address in B's kernel set; B's sets: "
                        + Testbed.pbxB(10, "ipset", "list", "-n").output());
        assertFalse(Testbed.answers(ATTACKER, Testbed.PBX_B_V4, false), "B, which never saw the attacker, drops it");
        assertTrue(Testbed.register("198.51.100.21", Testbed.PBX_B_V4, "1002", "pw-1002-secret"),
                "a phone still registers at B");
        assertEquals(1, storedReports(ATTACKER), "still once: nothing sent twice");
    }

    /** An agent beside the PBX at {@code amiHost}, enrolled at the hub for {@code site} with a one-time token. */
    private Agent enrolledAgent(Path dir, String site, String amiHost, String netns) throws Exception {
        Files.createDirectories(dir);
        TollguardConfig config = AgentHarness.config(dir, amiHost, netns, FirewallConfig.Backend.IPSET, """
                hub:
                  url: %s
                  credential-file: %s
                  poll-interval: 1s
                blacklist:
                  sources:
                    - {name: hub, type: hub}
                  reporting:
                    retry-initial: 1s
                    retry-max: 2s
                ban:
                  windows:
                    - {name: fast, failures: 5, window: 60s}
                  enumeration:
                    accounts: 0
                  challenge-grace: 3s
                """.formatted(hub.url(), dir.resolve("hub-enrollment.json")));
        String token;
        try (Database db = Database.open(hub.database())) {
            // what tollguard-hub enroll --site SITE does (its own test: CliIT)
            token = new org.tollguard.hub.enroll.Enrollment(db, 1000).createToken(site, site, "operator:test",
                    Instant.now().plus(Duration.ofHours(1)));
        }
        Enrollment.enroll(config.hub(), token, site, Instant.now()).write(config.hub().credentialFile());
        configs.add(config);
        Agent agent = AgentHarness.start(config);
        agents.add(agent);
        return agent;
    }

    private int storedReports(String address) throws Exception {
        try (Connection c = DriverManager.getConnection(hub.database().url(), "postgres", "");
             PreparedStatement s = c.prepareStatement("select count(*) from report where address = ?::inet")) {
            s.setString(1, address);
            ResultSet r = s.executeQuery();
            r.next();
            return r.getInt(1);
        }
    }
}
