package org.tollguard.testbed;

import org.tollguard.support.Wait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollguard.Agent;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Target;
import org.tollguard.decision.DecisionKind;

/** Call policy on the real testbed: calls from real phones, refused by the pre-dial check or cut by the backstop. */
class CallPolicyIT {
    private static final String PHONE = "198.51.100.21";
    private static final String POLICY = """
            calls:
              pre-dial:
                listen: 198.18.0.1
              defaults:
                blocked-categories: [national-amusement, national-premium, high-risk]
              accounts:
                "1001":
                  max-concurrent: 2
                "1002":
                  max-duration: 3s
                  allowed-networks: [198.51.100.21/32, "2001:db8::20/128"]
                "1003":
                  max-concurrent: 1
            """;

    @RegisterExtension
    static final TestbedAgent testbed = new TestbedAgent("dialplan set global TOLLGUARD_FAIL_MODE open",
            "dialplan set global TOLLGUARD_EMERGENCY \"\"");

    private TollguardConfig config;
    private Agent agent;

    private void start() throws Exception {
        config = AgentHarness.config(AgentHarness.tempDir(), FirewallConfig.Backend.LOG, POLICY);
        agent = testbed.start(config);
    }

    private List<Decision> decisions(DecisionKind kind) {
        return agent.bans().decisions().recent(200).stream().filter(d -> d.kind() == kind).toList();
    }

    private Decision awaitDecision(DecisionKind kind, String destination) {
        Wait.until(Duration.ofSeconds(10), () -> find(kind, destination) != null,
                () -> kind.id() + " for " + destination + ", have " + agent.bans().decisions().recent(20));
        return find(kind, destination);
    }

    private Decision find(DecisionKind kind, String destination) {
        return decisions(kind).stream().filter(d -> destination.equals(d.evidence().get("destination"))).findFirst().orElse(null);
    }

    @Test
    void blockedCategoriesAreRefusedAllowedOnesConnect() throws Exception {
        start();
        assertEquals(0, Testbed.call(PHONE, "1001", "0201234567", 200).exit(), "geographic call connects");
        for (String number : List.of("09061234567", "09001234567", "+88213456789")) {
            Testbed.Result r = Testbed.call(PHONE, "1001", number, 200);
            assertNotEquals(0, r.exit(), number + " must be refused: " + r.output());
            Decision refused = awaitDecision(DecisionKind.REFUSE_CALL, number);
            assertEquals("1001", refused.target().text());
            assertEquals(21, ((org.tollguard.decision.Target.Call) refused.target()).cause());
        }
        assertEquals("national-amusement", find(DecisionKind.REFUSE_CALL, "09061234567").evidence().get("category"));
        assertEquals(Boolean.TRUE, find(DecisionKind.REFUSE_CALL, "+88213456789").evidence().get("high-risk"));
        assertTrue(decisions(DecisionKind.HANGUP_CALL).isEmpty(), "refused before dialling, nothing to hang up");
    }

    @Test
    void thirdConcurrentCallIsRefusedAndAllowedAgainAfterOneEnds() throws Exception {
        start();
        Process first = Testbed.startCall(PHONE, "1001", "0201111111", 6000, 5071);
        Process second = Testbed.startCall(PHONE, "1001", "0202222222", 2500, 5072);
        Wait.until(Duration.ofSeconds(10), () -> outgoing("1001") == 2, "two live calls of 1001");
        Testbed.Result third = Testbed.call(PHONE, "1001", "0203333333", 200);
        assertNotEquals(0, third.exit(), "third call refused");
        assertEquals("max-concurrent", awaitDecision(DecisionKind.REFUSE_CALL, "0203333333").evidence().get("rule"));
        assertEquals(0, Testbed.call(PHONE, "1001", "112", 200).exit(), "112 gets through at the cap");
        second.waitFor();
        Wait.until(Duration.ofSeconds(10), () -> outgoing("1001") == 1, "one call ended");
        assertEquals(0, Testbed.call(PHONE, "1001", "0204444444", 200).exit(), "allowed again after one ended");
        first.waitFor();
    }

    private long outgoing(String account) {
        return agent.calls().calls().stream().filter(c -> c.account().equals(account) && c.outgoing()).count();
    }

    @Test
    void callPastItsMaximumDurationIsHungUp() throws Exception {
        start();
        long t0 = System.nanoTime();
        Testbed.Result r = Testbed.call(PHONE, "1002", "0201234567", 15_000);
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertEquals(0, r.exit(), r.output());
        assertTrue(seconds < 8, "cut after ~3 s, not after 15 s: " + seconds);
        Decision cut = awaitDecision(DecisionKind.HANGUP_CALL, "0201234567");
        assertEquals("max-duration", cut.evidence().get("rule"));
    }

    @Test
    void backstopHangsUpABlockedCallThatSkippedTheInclude() throws Exception {
        start();
        long t0 = System.nanoTime();
        Testbed.Result r = Testbed.call(PHONE, "1003", "09091234567", 15_000);
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertTrue(seconds < 5, "hung up by the backstop, not after 15 s: " + seconds + " " + r.output());
        Decision cut = awaitDecision(DecisionKind.HANGUP_CALL, "09091234567");
        assertEquals("blocked-category", cut.evidence().get("rule"));
        assertTrue(find(DecisionKind.REFUSE_CALL, "09091234567") == null, "no pre-dial check on this route");
    }

    @Test
    void emergencyCallsPassEveryBlockAndCap() throws Exception {
        start();
        agent.bans().decisions().take(Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account("1001"), "test block", null,
                org.tollguard.decision.Origin.OPERATOR, java.time.Instant.now(), null));
        Wait.until(Duration.ofSeconds(5), () -> agent.calls().isBlocked("1001"), "block applied");
        assertNotEquals(0, Testbed.call(PHONE, "1001", "0201234567", 200).exit(), "blocked account refused");
        assertEquals(0, Testbed.call(PHONE, "1001", "112", 3000).exit(), "112 from a blocked account gets through");
        assertTrue(decisions(DecisionKind.HANGUP_CALL).isEmpty(), "112 is never hung up");
    }

    @Test
    void accountRestrictedToOneNetworkIsFlaggedAndRefusedElsewhere() throws Exception {
        start();
        String foreign = "198.51.100.24";
        assertTrue(Testbed.register(foreign, Testbed.PBX_V4, "1002", "pw-1002-secret"));
        Wait.until(Duration.ofSeconds(10), () -> decisions(DecisionKind.ALERT).stream()
                .anyMatch(d -> d.target().text().equals("1002") && d.reason().contains(foreign)), "foreign-network alert");
        Testbed.Result r = Testbed.call(foreign, "1002", "0201234567", 200);
        assertNotEquals(0, r.exit(), "call from outside the allowed network refused");
        assertEquals("foreign-network", awaitDecision(DecisionKind.REFUSE_CALL, "0201234567").evidence().get("rule"));
        assertEquals(0, Testbed.call(PHONE, "1002", "0207654321", 200).exit(), "from its own network it works");
    }

    @Test
    void agentDownFollowsTheFailMode() throws Exception {
        start();
        agent.close();
        agent = null;
        assertEquals(0, Testbed.call(PHONE, "1001", "0201234567", 200).exit(), "fail mode open: call goes ahead");
        Testbed.cli("dialplan set global TOLLGUARD_FAIL_MODE closed");
        assertNotEquals(0, Testbed.call(PHONE, "1001", "0201234567", 200).exit(), "fail mode closed: refused");
        assertEquals(0, Testbed.call(PHONE, "1001", "112", 200).exit(), "fail mode closed still lets 112 through");
    }

    @Test
    void agentDownInFailModeClosedLetsTheAgentsOwnEmergencyNumbersThrough() throws Exception {
        config = AgentHarness.config(AgentHarness.tempDir(), FirewallConfig.Backend.LOG, POLICY + """
                numbers:
                  outside-line-prefix: "9"
                  emergency-numbers: ["112", "144"]
                """);
        agent = testbed.start(config);
        Wait.until(Duration.ofSeconds(10), () -> Testbed.cli("dialplan show globals").output()
                .contains("TOLLGUARD_EMERGENCY=112|144|9112|9144"), "the agent gave the PBX its list");
        agent.close();
        agent = null;
        Testbed.cli("dialplan set global TOLLGUARD_FAIL_MODE closed");
        for (String number : List.of("9112", "112", "9144")) {
            assertEquals(0, Testbed.call(PHONE, "1001", number, 200).exit(), number + " gets through with the agent down");
        }
        assertNotEquals(0, Testbed.call(PHONE, "1001", "90201234567", 200).exit(), "other numbers are refused");
        assertNotEquals(0, Testbed.call(PHONE, "1001", "999", 200).exit(), "999 is not on this agent's list");
    }
}
