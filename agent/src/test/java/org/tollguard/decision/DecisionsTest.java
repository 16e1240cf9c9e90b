package org.tollguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;
import org.tollguard.store.StoreException;
import org.tollguard.support.MutableClock;

class DecisionsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;
    private Store store;
    private DecisionRepository repo;
    private final MutableClock clock = new MutableClock(T0);
    private Decisions decisions;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("tollguard.db"));
        repo = new DecisionRepository(store);
        decisions = new Decisions(repo, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Records what it is asked to do, and what the store held at that moment. */
    private class RecordingEnforcer implements Enforcer {
        final String name;
        final Set<DecisionKind> kinds;
        final List<Decision> applied = new ArrayList<>();
        final List<Decision> lifted = new ArrayList<>();
        final List<Integer> storedWhenApplied = new ArrayList<>();
        RuntimeException failApply;
        Exception failLift;

        RecordingEnforcer(String name, DecisionKind... kinds) {
            this.name = name;
            this.kinds = Set.of(kinds);
        }

        @Override
        public boolean handles(DecisionKind kind) {
            return kinds.contains(kind);
        }

        @Override
        public void apply(Decision d) {
            applied.add(d);
            log.add(name + " apply " + d.target());
            try {
                storedWhenApplied.add(repo.recent(100).size());
            } catch (StoreException e) {
                storedWhenApplied.add(-1);
            }
            if (failApply != null) {
                throw failApply;
            }
        }

        @Override
        public void lift(Decision d) throws Exception {
            lifted.add(d);
            log.add(name + " lift " + d.target());
            if (failLift != null) {
                throw failLift;
            }
        }
    }

    private static Decision ban(String target) {
        return Decision.of(DecisionKind.BAN_ADDRESS, target, "5 failures in 60s", Map.of("failures", 5), Origin.LOCAL,
                T0, Duration.ofHours(1));
    }

    @Test
    void enforcesBeforeStoringThenTellsListeners() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        List<Decision> heard = new ArrayList<>();
        decisions.addListener(d -> {
            log.add("listener " + d.target() + " stored=" + repo.byId(d.id()).isPresent());
            heard.add(d);
        });

        Decision stored = decisions.take(ban("203.0.113.7"));

        assertTrue(stored.id() > 0);
        assertEquals(List.of(0), firewall.storedWhenApplied, "the ban reached the enforcer before the store");
        assertEquals(List.of(ban("203.0.113.7")), firewall.applied);
        assertEquals(List.of("firewall apply 203.0.113.7", "listener 203.0.113.7 stored=true"), log);
        assertEquals(List.of(stored), heard);
        assertEquals(stored, repo.byId(stored.id()).orElseThrow());
    }

    @Test
    void onlyEnforcersForTheKindAreAsked() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        RecordingEnforcer pbx = new RecordingEnforcer("pbx", DecisionKind.HANGUP_CALL, DecisionKind.BLOCK_ACCOUNT);
        decisions.addEnforcer(firewall);
        decisions.addEnforcer(pbx);
        decisions.take(ban("203.0.113.7"));
        decisions.take(Decision.of(DecisionKind.BLOCK_ACCOUNT, "1001", "spend", null, Origin.LOCAL, T0, null));
        decisions.take(Decision.of(DecisionKind.ALERT, "203.0.113.8", "trusted", null, Origin.LOCAL, T0, null));
        assertEquals(List.of("203.0.113.7"), firewall.applied.stream().map(Decision::target).toList());
        assertEquals(List.of("1001"), pbx.applied.stream().map(Decision::target).toList());
        assertEquals(3, repo.recent(10).size());
    }

    @Test
    void aFailingEnforcerDoesNotStopStoringOrTheOtherEnforcers() {
        RecordingEnforcer broken = new RecordingEnforcer("broken", DecisionKind.BAN_ADDRESS);
        broken.failApply = new IllegalStateException("ipset: command not found");
        RecordingEnforcer second = new RecordingEnforcer("second", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(broken);
        decisions.addEnforcer(second);
        List<Decision> heard = new ArrayList<>();
        decisions.addListener(heard::add);

        Decision stored = decisions.take(ban("203.0.113.7"));

        assertEquals(List.of("broken apply 203.0.113.7", "second apply 203.0.113.7"), log);
        assertEquals(List.of(stored), repo.active(DecisionKind.BAN_ADDRESS, T0));
        assertEquals(List.of(stored), heard);
    }

    @Test
    void anEnforcerThrowingACheckedExceptionIsAlsoContained() {
        decisions.addEnforcer(new Enforcer() {
            @Override
            public boolean handles(DecisionKind kind) {
                return true;
            }

            @Override
            public void apply(Decision decision) throws Exception {
                throw new java.io.IOException("netlink gone");
            }

            @Override
            public void lift(Decision decision) throws Exception {
                throw new java.io.IOException("netlink gone");
            }
        });
        Decision stored = decisions.take(ban("203.0.113.7"));
        assertEquals(List.of(stored), repo.active(DecisionKind.BAN_ADDRESS, T0));
        assertEquals(1, decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", "cli", "test"));
    }

    @Test
    void aFailingListenerDoesNotBreakTheOthers() {
        List<String> heard = new ArrayList<>();
        decisions.addListener(d -> heard.add("first"));
        decisions.addListener(d -> {
            throw new IllegalStateException("smtp down");
        });
        decisions.addListener(d -> heard.add("third"));

        Decision stored = decisions.take(ban("203.0.113.7"));

        assertEquals(List.of("first", "third"), heard);
        assertTrue(repo.byId(stored.id()).isPresent());
    }

    @Test
    void aFailingStoreDoesNotUndoEnforcement() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(new Enforcer() { // this one closes the store under the pipeline's feet
            @Override
            public boolean handles(DecisionKind kind) {
                return true;
            }

            @Override
            public void apply(Decision decision) {
                store.close();
            }

            @Override
            public void lift(Decision decision) {
            }
        });
        decisions.addEnforcer(firewall);
        List<Decision> heard = new ArrayList<>();
        decisions.addListener(heard::add);

        Decision result = decisions.take(ban("203.0.113.7"));

        assertEquals(0, result.id(), "not stored");
        assertEquals(1, firewall.applied.size());
        assertEquals(List.of(result), heard, "listeners still hear about an enforced decision");
    }

    @Test
    void liftCallsTheEnforcersAndMarksTheDecisionLifted() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        RecordingEnforcer pbx = new RecordingEnforcer("pbx", DecisionKind.BLOCK_ACCOUNT);
        decisions.addEnforcer(firewall);
        decisions.addEnforcer(pbx);
        Decision a = decisions.take(ban("203.0.113.7"));
        Decision other = decisions.take(ban("203.0.113.8"));
        clock.advance(Duration.ofMinutes(5));

        assertEquals(1, decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", "operator", "customer called"));

        assertEquals(List.of(a), firewall.lifted);
        assertEquals(List.of(), pbx.lifted);
        Decision back = repo.byId(a.id()).orElseThrow();
        assertEquals(T0.plus(Duration.ofMinutes(5)), back.lifted());
        assertEquals("operator", back.liftedBy());
        assertEquals("customer called", back.liftReason());
        assertNull(repo.byId(other.id()).orElseThrow().lifted());
        assertEquals(List.of(other), repo.active(DecisionKind.BAN_ADDRESS, clock.instant()));
    }

    @Test
    void liftWithoutAStoredDecisionStillClearsTheEnforcer() {
        // e.g. a ban left in the kernel set by a crash before it was stored
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        assertEquals(0, decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.9", "operator", "stray"));
        assertEquals(1, firewall.lifted.size());
        Decision placeholder = firewall.lifted.get(0);
        assertEquals(DecisionKind.BAN_ADDRESS, placeholder.kind());
        assertEquals("203.0.113.9", placeholder.target());
    }

    @Test
    void aFailingEnforcerLiftStillMarksTheDecisionLifted() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        firewall.failLift = new IllegalStateException("ipset: element not found");
        RecordingEnforcer second = new RecordingEnforcer("second", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        decisions.addEnforcer(second);
        Decision a = decisions.take(ban("203.0.113.7"));
        assertEquals(1, decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", "cli", "x"));
        assertEquals(List.of(a), second.lifted);
        assertTrue(repo.byId(a.id()).orElseThrow().lifted() != null);
    }

    @Test
    void reapplyEnforcesWithoutStoring() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        Decision stored = repo.insert(ban("203.0.113.7"));
        List<Decision> heard = new ArrayList<>();
        decisions.addListener(heard::add);

        decisions.reapply(stored);

        assertEquals(List.of(stored), firewall.applied);
        assertEquals(1, repo.recent(10).size());
        assertEquals(List.of(), heard);
    }
}
