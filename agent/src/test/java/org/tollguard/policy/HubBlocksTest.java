package org.tollguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.calls.AccountControl;
import org.tollguard.calls.CallEngine;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.PreDialRequest;
import org.tollguard.net.IpAddresses;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.protocol.SitePolicy;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;
import org.tollguard.support.MutableClock;

/** The portal's blocks carried out through the agent's own block route, recorded with who blocked in the portal. */
class HubBlocksTest {
    @TempDir
    Path dir;

    private static SitePolicy policy(long version, List<SitePolicy.AccountBlock> blocks) {
        return new SitePolicy(1, 7, version, Instant.EPOCH, PolicyLimits.none(), Map.of(), Map.of(), List.of(), blocks);
    }

    @Test
    void aBlockInThePolicyBlocksTheAccountAndItsRemovalUnblocksIt() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
        TollguardConfig config = TollguardConfig.defaults();
        try (Store store = Store.open(dir.resolve("t.db"))) {
            DecisionRepository repository = new DecisionRepository(store);
            Decisions decisions = new Decisions(repository, clock);
            CallEngine engine = new CallEngine(config.calls(), new NumberClassifier(config.numbers()), clock, decisions,
                    Set.of());
            try {
                decisions.addEnforcer(engine);
                HubBlocks blocks = new HubBlocks(new AccountControl(config.calls(), engine, decisions, clock));
                var source = IpAddresses.parse("198.51.100.20");

                blocks.accept(policy(1, List.of(new SitePolicy.AccountBlock("201", "user:north", clock.instant(),
                        "past threshold"))));
                engine.drain();
                assertTrue(engine.isBlocked("201"));
                assertFalse(engine.check(new PreDialRequest("c1", "201", "201", "0201234567", source)).allowed());
                assertTrue(engine.check(new PreDialRequest("c2", "201", "201", "112", source)).allowed(),
                        "emergency calls pass a blocked account");
                var taken = decisions.active(DecisionKind.BLOCK_ACCOUNT);
                assertEquals(1, taken.size());
                assertTrue(taken.get(0).toString().contains("hub:user:north"), taken.get(0).toString());

                blocks.accept(policy(2, List.of(new SitePolicy.AccountBlock("201", "user:north", clock.instant(),
                        "past threshold"))));
                assertEquals(1, decisions.active(DecisionKind.BLOCK_ACCOUNT).size(), "not twice");

                blocks.accept(policy(3, List.of()));
                engine.drain();
                assertFalse(engine.isBlocked("201"));
                assertTrue(decisions.active(DecisionKind.BLOCK_ACCOUNT).isEmpty());
            } finally {
                engine.close();
            }
        }
    }
}
