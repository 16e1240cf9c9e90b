package org.tollguard.freeswitch;

import org.tollguard.support.Wait;
import org.tollguard.support.Ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollguard.Agent;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;

/**
 * The call scenarios of the Asterisk issues through the FreeSWITCH adapter: the real agent, the simulated
 * FreeSWITCH of {@link SimulatedFreeSwitch} (real captures over the inbound Event Socket, the {@code socket}
 * application over the outbound one). The mechanics run now; the scenarios that need the call policy and the
 * spend IDS are written out and disabled until those engines are wired into {@code Agent} (the pre-dial hook is
 * {@code Agent.preDialCheck()}, the call events reach whatever listener {@code Agent.wire} gives the adapter).
 */
class FreeSwitchCallScenariosIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PHONE = "198.51.100.20";

    private SimulatedFreeSwitch freeswitch;
    private Agent agent;
    private int preDialPort;

    @BeforeEach
    void start() throws Exception {
        freeswitch = new SimulatedFreeSwitch();
        Path dir = Files.createTempDirectory("tollguard-fs-calls");
        preDialPort = Ports.freePort();
        TollguardConfig config = ConfigLoader.parse("FreeSwitchCallScenariosIT", """
                store:
                  path: %s
                api:
                  port: %d
                  token-file: %s
                asterisk:
                  enabled: false
                freeswitch:
                  enabled: true
                  port: %d
                  password: %s
                  # the provider leg SimulatedFreeSwitch creates is the captured loopback a-leg (see Replay)
                  trunk-leg-prefixes: ["loopback/"]
                  pre-dial:
                    port: %d
                firewall:
                  backend: log
                calls:
                  defaults:
                    blocked-categories: [national-premium, national-amusement, high-risk]
                  accounts:
                    acme: {max-concurrent: 2, max-duration: 2s}
                  pre-dial:
                    port: %d
                ids:
                  time-zone: UTC
                  rate-deck: %s
                  account-deltas: {acme: 5}
                """.formatted(dir.resolve("tollguard.db"), Ports.freePort(), dir.resolve("api.token"), freeswitch.port(),
                SimulatedFreeSwitch.PASSWORD, preDialPort, Ports.freePort(), rateDeck(dir)));
        agent = Agent.start(config, Clock.systemUTC());
        freeswitch.awaitAgent(WAIT);
        Wait.until(WAIT, () -> agent.freeswitch().isConnected(), "the Event Socket session");
    }

    /** A steep test price for UK numbers: two calls cross acme's delta of 5 EUR within a second. */
    private static Path rateDeck(Path dir) throws java.io.IOException {
        return Files.writeString(dir.resolve("rates.csv"), """
                prefix,description,price-per-minute,setup-price,increments
                31,Netherlands,0.02,0,60/60
                44,United Kingdom (test price),600.00,0,1/1
                """);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (freeswitch != null) {
            freeswitch.close();
        }
    }

    @Test
    void callPassesThePreDialCheckIsTrackedAndIsHungUpWithUuidKill() throws Exception {
        SimulatedFreeSwitch.Call call = freeswitch.dial(preDialPort, "acme", "0031201234567", PHONE);
        assertTrue(call.allowed(), call.toString());
        Wait.until(WAIT, () -> agent.freeswitch().liveCallCount() == 1, "the call in the live table");
        freeswitch.answer(call);

        // what a duration cap or a spend trip does to a live call
        agent.freeswitch().control().hangup(call.uuid(), 21).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(call.uuid() + " CALL_REJECTED", freeswitch.awaitKill(WAIT));
        Wait.until(WAIT, () -> agent.freeswitch().liveCallCount() == 0, "the call's CHANNEL_HANGUP_COMPLETE");
        assertEquals(0, freeswitch.liveCalls());
    }

    @Test
    void liveCallsAreListedForTheEngines() throws Exception {
        freeswitch.dial(preDialPort, "acme", "0031201234567", PHONE);
        freeswitch.dial(preDialPort, "acme", "0031201234568", PHONE);
        Wait.until(WAIT, () -> agent.freeswitch().liveCallCount() == 2, "two live calls");
        assertEquals("freeswitch 1.10.12-release~64bit", agent.freeswitch().control().describe());
    }

    // --- the Asterisk call-policy and spend scenarios, through the FreeSWITCH adapter ---------------------------

    @Test
    void blockedDestinationIsRefusedBeforeItIsDialled() throws Exception {
        // account acme blocks national premium (0900): configure that in the policy section of the test config
        SimulatedFreeSwitch.Call call = freeswitch.dial(preDialPort, "acme", "0900123456", PHONE);
        assertTrue(call.refused(), call.toString());
        assertEquals("CALL_REJECTED", call.preDial().hangupCause());
        assertEquals("deny", call.preDial().variables().get("tollguard_result"));
        assertEquals(0, agent.freeswitch().liveCallCount());
    }

    @Test
    void thirdCallOverTheCapIsRefused() throws Exception {
        assertTrue(freeswitch.dial(preDialPort, "acme", "0031201234567", PHONE).allowed());
        assertTrue(freeswitch.dial(preDialPort, "acme", "0031201234568", PHONE).allowed());
        Wait.until(WAIT, () -> agent.freeswitch().liveCallCount() == 2, "two live calls");
        assertTrue(freeswitch.dial(preDialPort, "acme", "0031201234569", PHONE).refused());
        assertTrue(freeswitch.dial(preDialPort, "other", "0031201234569", PHONE).allowed(), "caps are per account");
    }

    @Test
    void durationCapHangsUpWithUuidKill() throws Exception {
        SimulatedFreeSwitch.Call call = freeswitch.dial(preDialPort, "acme", "0031201234567", PHONE);
        freeswitch.answer(call);
        String kill = freeswitch.awaitKill(Duration.ofSeconds(10));
        assertTrue(kill.startsWith(call.uuid() + " "), kill);
        Wait.until(WAIT, () -> agent.freeswitch().liveCallCount() == 0, "the call gone");
    }

    @Test
    void spendTripCutsEveryLiveCallOfTheAccount() throws Exception {
        SimulatedFreeSwitch.Call a = freeswitch.dial(preDialPort, "acme", "00442079460001", PHONE);
        SimulatedFreeSwitch.Call b = freeswitch.dial(preDialPort, "acme", "00442079460002", PHONE);
        SimulatedFreeSwitch.Call other = freeswitch.dial(preDialPort, "other", "0031201234567", PHONE);
        freeswitch.answer(a);
        freeswitch.answer(b);
        freeswitch.answer(other);
        String first = freeswitch.awaitKill(Duration.ofSeconds(30));
        String second = freeswitch.awaitKill(WAIT);
        assertTrue((first + second).contains(a.uuid()) && (first + second).contains(b.uuid()), first + " " + second);
        assertTrue(first.endsWith("CALL_REJECTED") && second.endsWith("CALL_REJECTED"),
                "cut by the account block, not by the 2 s duration cap: " + first + " " + second);
        Wait.until(WAIT, () -> agent.freeswitch().liveCallCount() == 1, "only the other account's call left");
        assertTrue(freeswitch.dial(preDialPort, "acme", "0031201234567", PHONE).refused(), "the account is blocked");
    }
}
