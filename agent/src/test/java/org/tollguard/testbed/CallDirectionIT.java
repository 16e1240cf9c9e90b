package org.tollguard.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollguard.Agent;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.support.Wait;

/**
 * Only outgoing calls are judged, on the real testbed: inbound DID calls from the provider trunk and internal calls
 * to the PBX's own 1801 service go on under a full cap, a short duration cap and a blocked premium category, and
 * are not priced; an outgoing call beside them is.
 */
class CallDirectionIT {
    private static final String PHONE = "198.51.100.21";
    private static final String POLICY = """
            calls:
              pre-dial:
                listen: 198.18.0.1
              pbx-max-concurrent: 1
              defaults:
                max-duration: 2s
                blocked-categories: [national-premium, national-amusement, high-risk]
            """;

    @RegisterExtension
    static final TestbedAgent testbed = new TestbedAgent();

    private TollguardConfig config;
    private Agent agent;

    private void start() throws Exception {
        config = AgentHarness.config(AgentHarness.tempDir(), FirewallConfig.Backend.LOG, POLICY);
        agent = testbed.start(config);
    }

    private List<Decision> callDecisions() {
        return agent.bans().decisions().recent(200).stream()
                .filter(d -> d.kind() == DecisionKind.HANGUP_CALL || d.kind() == DecisionKind.REFUSE_CALL).toList();
    }

    private boolean priced(String destination) {
        return List.of("1001", "1003", "provider", "").stream()
                .flatMap(a -> agent.cdrs().endedBetween(a, Instant.now().minusSeconds(600), Instant.now().plusSeconds(60)).stream())
                .anyMatch(c -> c.destination().equals(destination));
    }

    @Test
    void anInboundCallUnderAFullCapAndAShortDurationCapIsNotCut() throws Exception {
        start();
        Process outgoing = Testbed.startCall(PHONE, "1001", "0201234567", 5000, 5071);
        Wait.until(Duration.ofSeconds(10), () -> agent.calls().calls().stream().anyMatch(c -> c.answered() != null),
                "the outgoing call fills the PBX's cap of 1");
        long t0 = System.nanoTime();
        Testbed.Result inbound = Testbed.inboundCall("0301234567", 4000);
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertEquals(0, inbound.exit(), inbound.output());
        assertTrue(ms >= 4000, "the inbound call ran its 4 s, past the 2 s duration cap: " + ms + " ms");
        assertTrue(outgoing.waitFor(10, TimeUnit.SECONDS));
        Wait.until(Duration.ofSeconds(10), () -> !callDecisions().isEmpty(), "the outgoing call cut at 2 s");
        assertEquals(List.of("0201234567"), callDecisions().stream().map(d -> d.evidence().get("destination")).toList(),
                "only the outgoing call was judged");
        Wait.until(Duration.ofSeconds(10), () -> priced("0201234567"), "the outgoing call priced");
        assertTrue(!priced("0301234567"), "the inbound call is not priced");
    }

    @Test
    void anInternalCallToAnExtensionThatLooksPremiumIsNeitherRefusedNorPriced() throws Exception {
        start();
        for (String phone : List.of("1001", "1003")) { // through the checked route, and the one without a check
            long t0 = System.nanoTime();
            Testbed.Result r = Testbed.call(PHONE, phone, "1801", 3000);
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertEquals(0, r.exit(), r.output());
            assertTrue(ms >= 3000, phone + "'s call to 1801 ran its 3 s: " + ms + " ms");
        }
        assertEquals(0, Testbed.call(PHONE, "1001", "0201234567", 200).exit(), "an outgoing call for comparison");
        Wait.until(Duration.ofSeconds(10), () -> priced("0201234567"), "the outgoing call priced");
        assertEquals(List.of(), callDecisions(), "nothing refused or hung up");
        assertTrue(!priced("1801"), "the internal calls are not priced");
        assertTrue(agent.calls().calls().isEmpty(), "no call left in the table: " + agent.calls().calls());
    }
}
