package org.tollguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tollguard.calls.CallPolicy;
import org.tollguard.config.CallLimits;
import org.tollguard.config.CallsConfig;
import org.tollguard.numbers.Category;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.protocol.SitePolicy;

class HubLayerTest {
    private static SitePolicy policy(long version, PolicyLimits defaults, Map<String, PolicyLimits> accounts) {
        return new SitePolicy(1, 7, version, Instant.parse("2026-12-04T12:00:00Z"), defaults, Map.of(), accounts,
                List.of("882"), List.of(new SitePolicy.AccountBlock("666", "user:north", Instant.EPOCH, null)));
    }

    @Test
    void theHubWinsWhereItSetsAValueUnlessTheKeyIsPinnedLocallyAndEachValueSaysWhereItCameFrom() {
        CallLimits local = new CallLimits(List.of(Category.HIGH_RISK), List.of("1900"), List.of(), 5,
                Duration.ofHours(4), 0, List.of());
        SitePolicy hub = policy(3, new PolicyLimits(new BigDecimal("15"), 2, null, List.of("international"), null, null),
                Map.of("201", new PolicyLimits(null, 1, null, null, null, null)));

        HubLayer.Resolved r = new HubLayer(hub, Set.of("blocked-categories"))
                .resolve("201", null, local, new BigDecimal("50"));
        assertEquals(1, r.limits().maxConcurrent(), "the account's own hub cap");
        assertEquals(0, new BigDecimal("15").compareTo(r.delta()));
        assertEquals(Duration.ofHours(4), r.limits().maxDuration());
        assertEquals(List.of(Category.HIGH_RISK), r.limits().blockedCategories(), "pinned locally: the hub is ignored");
        assertEquals(List.of("1900", "882"), r.limits().blockedPrefixes());
        assertEquals("hub policy v3", r.origins().get("max-concurrent"));
        assertEquals("local config (pinned)", r.origins().get("blocked-categories"));
        assertEquals("local config", r.origins().get("max-duration"));
        assertEquals("local config + hub fraudulent destinations", r.origins().get("blocked-prefixes"));
        assertTrue(new HubLayer(hub, Set.of()).blocked("666"));

        HubLayer.Resolved none = new HubLayer(null, Set.of()).resolve("201", null, local, new BigDecimal("50"));
        assertEquals(local, none.limits());
        assertThrows(IllegalArgumentException.class, () -> new HubLayer(hub, Set.of("max-calls")));
    }

    @Test
    void theCallPolicyAppliesANewLayerAtItsNextDecisionWithoutARestart() {
        CallPolicy calls = new CallPolicy(CallsConfig.builtIn());
        assertEquals(0, calls.limitsFor("201").maxConcurrent());
        HubLayer layer = new HubLayer(policy(1, new PolicyLimits(null, 2, null, null, null, null), Map.of()), Set.of());
        calls.layer((account, local) -> layer.resolve(account, calls.groupOf(account), local, BigDecimal.ZERO).limits());
        assertEquals(2, calls.limitsFor("201").maxConcurrent());
        HubLayer next = new HubLayer(policy(2, new PolicyLimits(null, 3, null, null, null, null), Map.of()), Set.of());
        calls.layer((account, local) -> next.resolve(account, calls.groupOf(account), local, BigDecimal.ZERO).limits());
        assertEquals(3, calls.limitsFor("201").maxConcurrent());
    }

    @Test
    void aPolicyWithAValueTheAgentCannotReadFailsItsCheck() {
        assertThrows(IllegalArgumentException.class, () -> HubLayer.check(policy(1,
                new PolicyLimits(null, null, null, List.of("premium-ish"), null, null), Map.of())));
        assertThrows(IllegalArgumentException.class, () -> HubLayer.check(policy(1,
                new PolicyLimits(null, null, null, null, null, List.of("198.51.100.0/99")), Map.of())));
    }

    @Test
    void checkConfigSaysWhichValueCameFromWhere() throws Exception {
        org.tollguard.config.TollguardConfig config = org.tollguard.config.ConfigLoader.parse("test", """
                calls:
                  defaults: {max-concurrent: 10}
                  accounts:
                    "201": {max-duration: 1h}
                hub:
                  url: https://hub.example.net/
                  public-keys: ["RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"]
                  pinned: [max-duration]
                """);
        List<String> lines = PolicyReport.lines(config, policy(4,
                new PolicyLimits(new BigDecimal("15"), 2, Duration.ofMinutes(30), null, null, null), Map.of()));
        assertEquals("# hub policy: version 4 of 2026-12-04T12:00:00Z", lines.get(0));
        String account = lines.stream().filter(l -> l.startsWith("# 201:")).findFirst().orElseThrow();
        assertTrue(account.contains("delta=15 [hub policy v4]"), account);
        assertTrue(account.contains("max-concurrent=2 [hub policy v4]"), account);
        assertTrue(account.contains("max-duration=PT1H [local config (pinned)]"), account);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("# 666:") && l.endsWith("BLOCKED from the hub portal")),
                lines.toString());
    }
}
