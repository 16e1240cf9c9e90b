package org.tollguard.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.Agent;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;

/**
 * The second PBX of the testbed (B, {@code testbed/asterisk --pbx b up}): its own AMI, namespace and firewall. An
 * agent beside B bans an attacker of B in B's kernel set only; PBX A still answers the same address.
 */
class SecondPbxIT {
    private Agent agent;
    private TollguardConfig config;

    @BeforeAll
    static void up() {
        Testbed.upBoth();
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

    @Test
    void anAgentBesideBBansInBsFirewallOnly() throws Exception {
        Path dir = AgentHarness.tempDir();
        config = AgentHarness.config(dir, Testbed.AMI_HOST_B, Testbed.PBX_B_NETNS, FirewallConfig.Backend.IPSET,
                """
                ban:
                  windows:
                    - {name: fast, failures: 5, window: 60s}
                  enumeration:
                    accounts: 0
                  challenge-grace: 3s
                """);
        agent = AgentHarness.start(config);
        String attacker = "203.0.113.68";
        assertTrue(Testbed.answers(attacker, Testbed.PBX_B_V4, false), "B answers before the attack");

        Testbed.Result crack = Testbed.svcrack(attacker, Testbed.PBX_B_V4, "1001", "1-20");
        AgentHarness.awaitBan(agent, attacker, Duration.ofSeconds(10));
        assertFalse(Testbed.answers(attacker, Testbed.PBX_B_V4, false), "dropped at B: " + crack.output());
        assertEquals(0, Testbed.pbxB(10, "ipset", "test", "tollguard-ban4", attacker).exit(), "entry in B's kernel set");
        assertTrue(Testbed.answers(attacker, Testbed.PBX_V4, false), "A, whose agent saw nothing, still answers it");
        assertTrue(Testbed.register("198.51.100.21", Testbed.PBX_B_V4, "1002", "pw-1002-secret"), "a phone registers at B");
    }
}
