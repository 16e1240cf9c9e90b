package org.tollguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;
import org.tollguard.support.MutableClock;
import org.tollguard.support.Wait;

class DecisionsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration RETRY = Duration.ofMillis(50);

    @TempDir
    Path dir;
    private Store store;
    private DecisionRepository repo;
    private final MutableClock clock = new MutableClock(T0);
    private Decisions decisions;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("tollguard.db"));
        repo = new DecisionRepository(store);
        decisions = new Decisions(repo, clock, RETRY);
    }

    @AfterEach
    void close() {
        decisions.close();
        store.close();
    }

    /** Records what it is asked to do; fails its first {@code failures} applies. */
    private class RecordingEnforcer implements Enforcer {
        final String name;
        final Set<DecisionKind> kinds;
        final List<Decision> applied = new CopyOnWriteArrayList<>();
        final List<Decision> lifted = new CopyOnWriteArrayList<>();
        volatile int failures;
        volatile RuntimeException failLift;

        RecordingEnforcer(String name, DecisionKind... kinds) {
            this.name = name;
            this.kinds = Set.of(kinds);
        }

        @Override
        public boolean handles(Decision d) {
            return kinds.contains(d.kind());
        }

        @Override
        public CompletionStage<Void> apply(Decision d) {
            applied.add(d);
            log.add(name + " apply " + d.target().text());
            if (failures > 0) {
                failures--;
                return Enforcer.failed(new IllegalStateException("ipset: set is full"));
            }
            return Enforcer.done();
        }

        @Override
        public CompletionStage<Void> lift(Decision d) {
            lifted.add(d);
            log.add(name + " lift " + d.target().text());
            if (failLift != null) {
                throw failLift;
            }
            return Enforcer.done();
        }
    }

    /** Hears enforcement failures and recoveries. */
    private class Heard implements EnforcementListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void failed(Decision d, String error, int attempts) {
            events.add("failed " + d.target().text() + " #" + attempts + ": " + error);
        }

        @Override
        public void recovered(Decision d, int attempts) {
            events.add("recovered " + d.target().text() + " #" + attempts);
        }
    }

    private static Decision ban(String target) {
        return Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse(target), "5 failures in 60s",
                Map.of("failures", 5), Origin.LOCAL, T0, Duration.ofHours(1));
    }

    private static Decision block(String account) {
        return Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account(account), "spend", null, Origin.LOCAL, T0, null);
    }

    private Enforcement.State stateOf(Decision d) {
        ActiveDecision a = decisions.get(d.id());
        return a == null ? null : a.enforcement().state();
    }

    @Test
    void enforcesFirstThenTellsListenersAndJournalsBehind() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        List<Decision> heard = new ArrayList<>();
        decisions.addListener(d -> {
            log.add("listener " + d.target().text());
            heard.add(d);
        });

        Decision taken = decisions.take(ban("203.0.113.7"));

        assertTrue(taken.id() > 0);
        assertEquals(List.of("firewall apply 203.0.113.7", "listener 203.0.113.7"), log);
        assertEquals(List.of(taken), heard);
        assertEquals(Enforcement.State.HELD, stateOf(taken));
        decisions.flush();
        assertEquals(taken, repo.byId(taken.id()).orElseThrow(), "journaled under the ledger's id");
    }

    @Test
    void theBanPathDoesNotWaitOnTheStore() throws Exception {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread listSync = new Thread(() -> store.inTransaction(c -> { // a community list import holding the store
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        listSync.start();
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        try {
            CompletableFuture<Decision> taken = CompletableFuture.supplyAsync(() -> decisions.take(ban("203.0.113.7")));
            Decision d = taken.get(2, TimeUnit.SECONDS); // the store stays locked for up to 10 s
            assertEquals(1, firewall.applied.size());
            assertEquals(1, decisions.activeCounts(DecisionKind.BAN_ADDRESS).get(Origin.LOCAL));
            assertEquals(1, decisions.localBans("203.0.113.7"));
            release.countDown();
            listSync.join();
            decisions.flush();
            assertEquals(d, repo.byId(d.id()).orElseThrow());
        } finally {
            release.countDown();
        }
    }

    @Test
    void onlyEnforcersForTheDecisionAreAsked() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        RecordingEnforcer pbx = new RecordingEnforcer("pbx", DecisionKind.HANGUP_CALL, DecisionKind.BLOCK_ACCOUNT);
        decisions.addEnforcer(firewall);
        decisions.addEnforcer(pbx);
        decisions.take(ban("203.0.113.7"));
        decisions.take(block("1001"));
        decisions.take(Decision.of(DecisionKind.ALERT, Target.Address.parse("203.0.113.8"), "trusted", null,
                Origin.LOCAL, T0, null));
        assertEquals(List.of("203.0.113.7"), firewall.applied.stream().map(d -> d.target().text()).toList());
        assertEquals(List.of("1001"), pbx.applied.stream().map(d -> d.target().text()).toList());
        assertEquals(3, decisions.recent(10).size());
        assertEquals(List.of(), decisions.active(DecisionKind.ALERT), "an alert is not held");
    }

    @Test
    void aFailedEnforcementIsRecordedAnnouncedAndRetriedUntilItHolds() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        firewall.failures = 2;
        decisions.addEnforcer(firewall);
        Heard heard = new Heard();
        decisions.addEnforcementListener(heard);

        Decision d = decisions.take(ban("203.0.113.7"));

        ActiveDecision now = decisions.get(d.id());
        assertEquals(Enforcement.State.FAILED, now.enforcement().state(), "never shown as held when it is not");
        assertEquals("RecordingEnforcer: ipset: set is full", now.enforcement().error());
        assertEquals(Map.of(DecisionKind.BAN_ADDRESS, 1), decisions.failedCounts());
        Wait.until(Duration.ofSeconds(5), () -> heard.events.size() == 3, "the retried ban holds and is announced");
        assertEquals(Enforcement.State.HELD, stateOf(d));
        assertEquals(3, firewall.applied.size());
        assertEquals(List.of("failed 203.0.113.7 #1: RecordingEnforcer: ipset: set is full",
                "failed 203.0.113.7 #2: RecordingEnforcer: ipset: set is full", "recovered 203.0.113.7 #3"), heard.events);
        assertEquals(Map.of(), decisions.failedCounts());
    }

    @Test
    void aFailedEnforcementStopsBeingRetriedOnceLifted() throws Exception {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        firewall.failures = Integer.MAX_VALUE;
        decisions.addEnforcer(firewall);
        Decision d = decisions.take(ban("203.0.113.7"));
        Wait.until(Duration.ofSeconds(5), () -> firewall.applied.size() >= 3, "retried with back-off");
        decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", "alice", "wrong address");
        int applied = firewall.applied.size();
        Thread.sleep(RETRY.multipliedBy(16).toMillis());
        assertEquals(applied, firewall.applied.size(), "no retry after the lift");
        assertNull(decisions.get(d.id()));
    }

    @Test
    void aHangUpIsHeldUntilThePbxConfirmsItThenDropped() {
        CompletableFuture<Void> pbxAnswer = new CompletableFuture<>();
        decisions.addEnforcer(new Enforcer() {
            @Override
            public boolean handles(Decision d) {
                return d.kind() == DecisionKind.HANGUP_CALL;
            }

            @Override
            public CompletionStage<Void> apply(Decision d) {
                return pbxAnswer;
            }

            @Override
            public CompletionStage<Void> lift(Decision d) {
                return Enforcer.done();
            }
        });
        Decision d = decisions.take(Decision.of(DecisionKind.HANGUP_CALL, new Target.Call("asterisk", "1712.4", "1001", 16),
                "max-duration", null, Origin.LOCAL, T0, null));
        assertEquals(Enforcement.State.PENDING, stateOf(d));
        pbxAnswer.complete(null);
        assertNull(decisions.get(d.id()), "done: a hang-up does not last");
    }

    @Test
    void liftGoesThroughTheEnforcersAndIsJournaled() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        RecordingEnforcer calls = new RecordingEnforcer("calls", DecisionKind.BLOCK_ACCOUNT);
        decisions.addEnforcer(firewall);
        decisions.addEnforcer(calls);
        Decision a = decisions.take(ban("203.0.113.7"));
        Decision other = decisions.take(ban("203.0.113.8"));
        Decision blocked = decisions.take(block("1001"));
        clock.advance(Duration.ofMinutes(5));

        assertEquals(1, decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", "alice", "customer called"));
        assertEquals(1, decisions.lift(DecisionKind.BLOCK_ACCOUNT, "1001", "bob", "confirmed"));

        assertEquals(List.of(a), firewall.lifted);
        assertEquals(List.of(blocked), calls.lifted, "an unblock goes through the enforcer too");
        decisions.flush();
        Decision back = repo.byId(a.id()).orElseThrow();
        assertEquals(T0.plus(Duration.ofMinutes(5)), back.lifted());
        assertEquals("alice", back.liftedBy());
        assertEquals("customer called", back.liftReason());
        assertEquals("bob", repo.byId(blocked.id()).orElseThrow().liftedBy());
        assertNull(repo.byId(other.id()).orElseThrow().lifted());
        assertEquals(List.of(other), decisions.active(DecisionKind.BAN_ADDRESS).stream().map(ActiveDecision::decision).toList());
    }

    @Test
    void liftWithoutALedgerEntryStillClearsTheEnforcer() {
        // e.g. a ban left in the kernel set by a crash before it was journaled
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        assertEquals(0, decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.9", "alice", "stray"));
        assertEquals(1, firewall.lifted.size());
        assertEquals(Target.Address.parse("203.0.113.9"), firewall.lifted.get(0).target());
    }

    @Test
    void aLiftTheWorldRefusesIsReportedNotHidden() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        firewall.failLift = new IllegalStateException("ipset: kernel error");
        RecordingEnforcer second = new RecordingEnforcer("second", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        decisions.addEnforcer(second);
        Decision a = decisions.take(ban("203.0.113.7"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> decisions.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", "alice", "x"));
        assertTrue(e.getMessage().contains("ipset: kernel error"), e.getMessage());
        assertEquals(List.of(a), second.lifted, "the other enforcers still lift");
    }

    @Test
    void restoreReappliesEveryLastingKindWithoutJournalingItAgain() {
        Decision ban = repo.insert(ban("203.0.113.7"));
        Decision blocked = repo.insert(block("1001"));
        repo.insert(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.8"), "old", null, Origin.LOCAL,
                T0.minus(Duration.ofHours(3)), Duration.ofHours(1)));
        repo.insert(Decision.of(DecisionKind.HANGUP_CALL, new Target.Call("asterisk", "1.2", "1001", 16), "done", null,
                Origin.LOCAL, T0, null));
        decisions.close();
        decisions = new Decisions(repo, clock, RETRY);
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        RecordingEnforcer calls = new RecordingEnforcer("calls", DecisionKind.BLOCK_ACCOUNT, DecisionKind.HANGUP_CALL);
        decisions.addEnforcer(firewall);
        decisions.addEnforcer(calls);
        List<Decision> heard = new ArrayList<>();
        decisions.addListener(heard::add);

        assertEquals(2, decisions.restore());

        assertEquals(List.of(ban), firewall.applied, "the expired ban stays out");
        assertEquals(List.of(blocked), calls.applied, "a finished hang-up is not repeated");
        assertEquals(Enforcement.State.HELD, stateOf(ban));
        assertEquals(Enforcement.State.HELD, stateOf(blocked));
        assertEquals(List.of(), heard);
        decisions.flush();
        assertEquals(4, repo.recent(10).size());
        Decision next = decisions.take(ban("203.0.113.9"));
        assertTrue(next.id() > blocked.id(), "ids go on from the journal's");
    }

    @Test
    void escalationCountsIncludeTheJournalsHistory() {
        repo.insert(ban("203.0.113.7"));
        repo.insert(ban("203.0.113.7"));
        repo.insert(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.7"), "by hand", null,
                Origin.OPERATOR, T0, null));
        decisions.close();
        decisions = new Decisions(repo, clock, RETRY);
        assertEquals(2, decisions.localBans("203.0.113.7"), "operator bans do not escalate");
        decisions.take(ban("203.0.113.7"));
        assertEquals(3, decisions.localBans("203.0.113.7"));
    }

    @Test
    void anExpiredDecisionIsLiftedThroughItsEnforcer() {
        RecordingEnforcer calls = new RecordingEnforcer("calls", DecisionKind.BLOCK_ACCOUNT);
        decisions.addEnforcer(calls);
        Decision d = decisions.take(Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account("1001"), "spend", null,
                Origin.LOCAL, T0, Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(11));
        Wait.until(Duration.ofSeconds(5), () -> calls.lifted.size() == 1, "the expired block lifted");
        assertNull(decisions.get(d.id()));
    }

    @Test
    void aDecisionLongerThanTheWorldRemembersIsRenewed() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS) {
            @Override
            public Duration renewEvery() {
                return Duration.ofDays(12);
            }
        };
        decisions.addEnforcer(firewall);
        Decision permanent = decisions.take(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.7"),
                "by hand", null, Origin.OPERATOR, T0, null));
        clock.advance(Duration.ofDays(11));
        decisions.renewNow();
        assertEquals(1, firewall.applied.size());
        clock.advance(Duration.ofDays(2));
        decisions.renewNow();
        assertEquals(List.of(permanent, permanent), firewall.applied);
    }

    @Test
    void aFailingStoreDoesNotUndoEnforcement() {
        RecordingEnforcer firewall = new RecordingEnforcer("firewall", DecisionKind.BAN_ADDRESS);
        decisions.addEnforcer(firewall);
        store.close();
        List<Decision> heard = new ArrayList<>();
        decisions.addListener(heard::add);

        Decision d = decisions.take(ban("203.0.113.7"));

        assertEquals(1, firewall.applied.size());
        assertEquals(List.of(d), heard, "listeners still hear about an enforced decision");
        assertEquals(Enforcement.State.HELD, stateOf(d));
        decisions.flush();
        assertEquals(1, decisions.journalFailures());
    }

    @Test
    void aFailingListenerDoesNotBreakTheOthers() {
        List<String> heard = new ArrayList<>();
        decisions.addListener(d -> heard.add("first"));
        decisions.addListener(d -> {
            throw new IllegalStateException("smtp down");
        });
        decisions.addListener(d -> heard.add("third"));
        decisions.take(ban("203.0.113.7"));
        assertEquals(List.of("first", "third"), heard);
    }
}
