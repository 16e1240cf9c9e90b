package org.tollguard.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollguard.calls.CallEngine;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.net.IpAddresses;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialRequest;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.protocol.SitePolicy;
import org.tollguard.support.MutableClock;

/** A hub policy laid over a running call engine: its cap and prefixes hold at the next call, no restart. */
class HubPolicyCallsTest {
    private static final InetAddress OFFICE = IpAddresses.parse("198.51.100.20");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private CallEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private PreDialAnswer dial(String id, String account, String number) throws InterruptedException {
        PreDialAnswer answer = engine.check(new PreDialRequest(id, account, account, number, OFFICE));
        if (answer.allowed()) {
            engine.onEvent(new CallStarted(id, account, account, number, OFFICE, clock.instant()));
            engine.drain();
        }
        return answer;
    }

    private void apply(SitePolicy policy, Set<String> pinned) {
        HubLayer layer = new HubLayer(policy, pinned);
        engine.policy().layer((account, local) ->
                layer.resolve(account, engine.policy().groupOf(account), local, BigDecimal.ZERO).limits());
    }

    private static SitePolicy policy(long version, int cap) {
        return new SitePolicy(1, 7, version, Instant.EPOCH, new PolicyLimits(null, cap, null, null, null, null),
                Map.of(), Map.of(), List.of("882"), List.of());
    }

    @Test
    void aCapFromTheHubRefusesTheThirdCallAndAFraudulentPrefixIsRefusedButEmergencyIsNot() throws Exception {
        TollguardConfig config = ConfigLoader.parse("test", "calls:\n  defaults: {max-concurrent: 10}\n");
        engine = new CallEngine(config.calls(), new NumberClassifier(config.numbers()), clock, d -> d, Set.of());
        assertTrue(dial("c1", "201", "0201234567").allowed());
        assertTrue(dial("c2", "201", "0201234568").allowed());
        assertTrue(engine.check(new PreDialRequest("probe", "201", "201", "0201234569", OFFICE)).allowed(),
                "the local cap is 10");

        apply(policy(1, 2), Set.of());
        PreDialAnswer third = dial("c3", "201", "0201234569");
        assertFalse(third.allowed(), "the hub's cap of 2 holds at once: " + third);
        assertFalse(engine.check(new PreDialRequest("c4", "202", "202", "+88213000000", OFFICE)).allowed(),
                "the reseller's fraudulent prefix 882");
        assertTrue(engine.check(new PreDialRequest("c5", "201", "201", "112", OFFICE)).allowed(),
                "emergency calls pass whatever the cap");

        apply(policy(2, 2), Set.of("max-concurrent"));
        assertTrue(engine.check(new PreDialRequest("c6", "201", "201", "0201234569", OFFICE)).allowed(),
                "max-concurrent pinned locally: the local cap of 10 rules");
    }
}
