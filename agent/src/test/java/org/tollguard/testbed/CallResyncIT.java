package org.tollguard.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollguard.Agent;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallStarted;
import org.tollguard.support.Ports;
import org.tollguard.support.Wait;

/**
 * Nothing slips through, on the real testbed: a call that was already up when the agent connected is judged like
 * any other, a call whose Hangup the agent missed leaves the table at the next periodic resync, the duration shown
 * is the duration now, and a pre-dial port in use stops the start.
 */
class CallResyncIT {
    private static final String PHONE = "198.51.100.21";

    @RegisterExtension
    static final TestbedAgent testbed = new TestbedAgent();

    private TollguardConfig config;
    private Agent agent;

    private void start(int preDialPort) throws Exception {
        config = AgentHarness.config(AgentHarness.tempDir(), FirewallConfig.Backend.LOG, """
                calls:
                  pre-dial:
                    listen: 198.18.0.1
                    port: %d
                  defaults:
                    blocked-categories: [national-amusement]
                """.formatted(preDialPort), "  resync-interval: 1s\n");
        agent = testbed.start(config);
    }

    private Decision hangup(String destination) {
        return agent.bans().decisions().recent(100).stream()
                .filter(d -> d.kind() == DecisionKind.HANGUP_CALL && destination.equals(d.evidence().get("destination")))
                .findFirst().orElse(null);
    }

    @Test
    void aCallAlreadyUpWhenTheAgentConnectsIsJudgedLikeAnyOther() throws Exception {
        long t0 = System.nanoTime();
        Process call = Testbed.startCall(PHONE, "1003", "09061234567", 20_000, 5074); // the route without a check
        Wait.until(Duration.ofSeconds(10), () -> Testbed.cli("core show channels concise").output().contains("PJSIP/1003-"),
                "1003's call up before the agent starts");
        start(Ports.freePort());
        Wait.until(Duration.ofSeconds(10), () -> hangup("09061234567") != null, "the call found at resync is cut");
        assertEquals("blocked-category", hangup("09061234567").evidence().get("rule"));
        assertTrue(call.waitFor(10, TimeUnit.SECONDS), "the PBX hung it up");
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertTrue(seconds < 15, "cut, not held its 20 s: " + seconds);
    }

    @Test
    void aCallWhoseHangupWasMissedLeavesTheTableAtTheNextResync() throws Exception {
        start(Ports.freePort());
        // a call the agent believes in but the PBX no longer has: its Hangup event was lost
        agent.calls().onEvent(new CallStarted("tg-pbx-ghost.1", "1001", "1001", "0201234567", null, Instant.now()));
        agent.calls().onEvent(new CallAnswered("tg-pbx-ghost.1", Instant.now()));
        agent.calls().drain();
        assertEquals(1, agent.calls().calls().size());
        Wait.until(Duration.ofSeconds(5), () -> agent.calls().calls().isEmpty(), "the ghost call gone after a resync");
    }

    @Test
    void theDurationShownIsTheDurationNow() throws Exception {
        start(Ports.freePort());
        Process call = Testbed.startCall(PHONE, "1001", "0201234567", 8000, 5075);
        Wait.until(Duration.ofSeconds(10), () -> agent.calls().calls().stream().anyMatch(c -> c.answered() != null),
                "the call answered");
        Thread.sleep(3500);
        long shown = agent.calls().calls().get(0).durationSeconds();
        assertTrue(shown >= 3, "3.5 s into the call, shown " + shown + " s");
        call.waitFor(15, TimeUnit.SECONDS);
    }

    @Test
    void aPreDialPortInUseStopsTheStartWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("198.18.0.1"))) {
            int port = taken.getLocalPort();
            Exception e = assertThrows(Exception.class, () -> start(port));
            assertTrue(e.getMessage().contains("cannot listen on 198.18.0.1:" + port), e.getMessage());
        }
    }
}
