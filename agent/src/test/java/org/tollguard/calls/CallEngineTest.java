package org.tollguard.calls;

import org.tollguard.support.Wait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Target;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.net.IpAddresses;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.LiveCallsSnapshot;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialRequest;
import org.tollguard.support.MutableClock;

class CallEngineTest {
    private static final InetAddress OFFICE = IpAddresses.parse("198.51.100.20");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final List<Decision> taken = new CopyOnWriteArrayList<>();
    private CallEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private CallEngine engine(String yaml) throws Exception {
        TollguardConfig config = ConfigLoader.parse("test", yaml);
        engine = new CallEngine(config.calls(), new NumberClassifier(config.numbers()), clock, d -> {
            taken.add(d);
            if (d.kind() == DecisionKind.BLOCK_ACCOUNT) {
                engine.apply(d);
            }
            return d;
        }, Set.of());
        return engine;
    }

    private PreDialAnswer dial(String callId, String account, String number) {
        return engine.check(new PreDialRequest(callId, account, account, number, OFFICE));
    }

    private void start(String callId, String account, String number) throws InterruptedException {
        engine.onEvent(new CallStarted(callId, account, account, number, OFFICE, clock.instant()));
        engine.drain();
    }

    private List<Decision> of(DecisionKind kind) {
        return taken.stream().filter(d -> d.kind() == kind).toList();
    }

    @Test
    void accountOverridesGroupOverridesDefaults() throws Exception {
        engine("""
                calls:
                  defaults: {max-concurrent: 10, blocked-categories: [international]}
                  groups:
                    acme: {accounts: ["1001", "1002"], limits: {max-concurrent: 3}}
                  accounts:
                    "1002": {blocked-categories: []}
                """);
        var p = engine.policy();
        assertEquals(3, p.limitsFor("1001").maxConcurrent());
        assertEquals(List.of(org.tollguard.numbers.Category.INTERNATIONAL), p.limitsFor("1001").blockedCategories());
        assertEquals(List.of(), p.limitsFor("1002").blockedCategories());
        assertEquals(10, p.limitsFor("other").maxConcurrent());
        assertTrue(dial("a", "1001", "0044 20 7946 0000").allowed() == false);
        assertTrue(dial("b", "1002", "0044 20 7946 0000").allowed());
    }

    @Test
    void highRiskIsBlockedByDefaultAndAllowedPrefixesWin() throws Exception {
        engine("""
                calls:
                  accounts:
                    "1001": {allowed-prefixes: ["+88213"]}
                """);
        PreDialAnswer sat = dial("a", "1002", "+88216123456");
        assertFalse(sat.allowed());
        assertEquals(21, sat.cause());
        assertTrue(dial("b", "1001", "+88213123456").allowed(), "allowed prefix beats the category");
        assertTrue(dial("c", "1002", "0201234567").allowed());
    }

    @Test
    void capsCountOtherCallsNotTheOneAsking() throws Exception {
        engine("calls: {accounts: {\"1001\": {max-concurrent: 2}}, pbx-max-concurrent: 3}");
        start("1", "1001", "0201111111");
        assertTrue(dial("1", "1001", "0201111111").allowed(), "its own start does not count against it");
        start("2", "1001", "0202222222");
        assertTrue(dial("2", "1001", "0202222222").allowed());
        start("3", "1001", "0203333333");
        PreDialAnswer third = dial("3", "1001", "0203333333");
        assertFalse(third.allowed());
        assertEquals(34, third.cause());
        assertTrue(dial("4", "1001", "112").allowed(), "emergency ignores caps");
        start("5", "1002", "0205555555");
        assertTrue(dial("5", "1002", "0205555555").allowed(), "PBX has 3 counting calls now (1, 2, 5)");
        start("6", "1003", "0206666666");
        assertFalse(dial("6", "1003", "0206666666").allowed(), "PBX-wide cap of 3");
        engine.onEvent(new CallEnded("1", -1, 16, clock.instant()));
        engine.drain();
        start("7", "1001", "0207777777");
        assertTrue(dial("7", "1001", "0207777777").allowed(), "room again after a call ended");
    }

    @Test
    void callsPerMinuteIsLimited() throws Exception {
        engine("calls: {defaults: {max-calls-per-minute: 2}}");
        assertTrue(dial("1", "1001", "0201111111").allowed());
        assertTrue(dial("2", "1001", "0201111112").allowed());
        assertFalse(dial("3", "1001", "0201111113").allowed());
        clock.advance(Duration.ofSeconds(61));
        assertTrue(dial("4", "1001", "0201111114").allowed());
    }

    @Test
    void backstopHangsUpUncheckedBlockedCallsAfterTheGrace() throws Exception {
        engine("calls: {defaults: {blocked-categories: [national-amusement]}}");
        start("1", "1003", "09061234567");
        Thread.sleep(300);
        assertTrue(of(DecisionKind.HANGUP_CALL).isEmpty(), "waits for the pre-dial check first");
        clock.advance(Duration.ofMillis(500));
        Wait.until(Duration.ofSeconds(5), () -> of(DecisionKind.HANGUP_CALL).size() == 1, "condition");
        Decision d = of(DecisionKind.HANGUP_CALL).get(0);
        assertEquals("1003", d.target().text());
        assertEquals("1", ((Target.Call) d.target()).callId());
        assertEquals("blocked-category", d.evidence().get("rule"));
        start("2", "1003", "0201234567");
        clock.advance(Duration.ofSeconds(1));
        Thread.sleep(300);
        assertEquals(1, of(DecisionKind.HANGUP_CALL).size(), "an allowed call is left alone");
    }

    @Test
    void maximumDurationCountsFromTheAnswerAndSparesEmergencyCalls() throws Exception {
        engine("calls: {defaults: {max-duration: 10s}}");
        start("1", "1001", "0201234567");
        start("2", "1001", "112");
        clock.advance(Duration.ofSeconds(30));
        engine.onEvent(new CallAnswered("1", clock.instant()));
        engine.onEvent(new CallAnswered("2", clock.instant()));
        engine.drain();
        clock.advance(Duration.ofSeconds(9));
        Thread.sleep(300);
        assertTrue(of(DecisionKind.HANGUP_CALL).isEmpty(), "ringing time does not count");
        clock.advance(Duration.ofSeconds(2));
        Wait.until(Duration.ofSeconds(5), () -> of(DecisionKind.HANGUP_CALL).size() == 1, "condition");
        assertEquals("1", ((Target.Call) of(DecisionKind.HANGUP_CALL).get(0).target()).callId());
        clock.advance(Duration.ofHours(5));
        Thread.sleep(300);
        assertEquals(1, of(DecisionKind.HANGUP_CALL).size(), "112 is never hung up");
    }

    @Test
    void blockingAnAccountHangsUpItsCallsButNotEmergencyOrOthers() throws Exception {
        engine("calls: {}");
        start("1", "1001", "0201234567");
        start("2", "1001", "0031612345678");
        start("3", "1001", "112");
        start("4", "1002", "0201234567");
        Decision block = Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account("1001"), "spend", null, Origin.LOCAL,
                clock.instant(), null);
        engine.apply(block);
        engine.drain();
        List<String> cut = of(DecisionKind.HANGUP_CALL).stream().map(d -> ((Target.Call) d.target()).callId()).toList();
        assertEquals(List.of("1", "2"), cut);
        assertFalse(dial("5", "1001", "0201234567").allowed());
        assertTrue(dial("6", "1001", "112").allowed());
        engine.lift(block);
        engine.drain();
        assertTrue(dial("7", "1001", "0201234567").allowed());
    }

    @Test
    void loginFromAForeignNetworkIsActedOnAsConfigured() throws Exception {
        engine("""
                calls:
                  on-foreign-network: block-account
                  accounts:
                    "1001": {allowed-networks: [198.51.100.0/24]}
                """);
        engine.onEvent(new AuthEvent(AuthOutcome.SUCCEEDED, "SuccessfulAuth", AuthKind.AUTHENTICATED, OFFICE, 5060, "UDP", "PJSIP", "1001", "",
                "", null, clock.instant()));
        engine.onEvent(new AuthEvent(AuthOutcome.SUCCEEDED, "SuccessfulAuth", AuthKind.AUTHENTICATED, IpAddresses.parse("203.0.113.9"), 5060,
                "UDP", "PJSIP", "1001", "", "", null, clock.instant()));
        engine.drain();
        engine.drain();
        assertEquals(1, of(DecisionKind.BLOCK_ACCOUNT).size());
        assertTrue(engine.isBlocked("1001"));
        PreDialAnswer fromAbroad = engine.check(new PreDialRequest("x", "1002", "1002", "0201234567",
                IpAddresses.parse("203.0.113.9")));
        assertTrue(fromAbroad.allowed(), "1002 has no network restriction");
    }

    @Test
    void resyncRebuildsTheTableFromThePbx() throws Exception {
        engine("calls: {accounts: {\"1001\": {max-concurrent: 1}}}");
        start("ghost", "1001", "0201234567");
        engine.onEvent(new LiveCallsSnapshot(List.of(new LiveCall("real", "1001", "1001", "0209999999", null,
                clock.instant(), clock.instant())), clock.instant()));
        engine.drain();
        assertEquals(List.of("real"), engine.calls().stream().map(CallView::callId).toList());
        assertFalse(dial("new", "1001", "0201111111").allowed(), "the resynced call counts against the cap");
    }

    @Test
    void aCallFirstSeenAtResyncIsJudgedLikeAnyOther() throws Exception {
        engine("calls: {defaults: {blocked-categories: [national-amusement]}, accounts: {\"1001\": {max-concurrent: 1}}}");
        Instant t = clock.instant();
        engine.onEvent(new LiveCallsSnapshot(List.of(
                new LiveCall("premium", "1003", "1003", "09061234567", null, t, t),
                new LiveCall("first", "1001", "1001", "0201111111", null, t.minusSeconds(20), t),
                new LiveCall("second", "1001", "1001", "0202222222", null, t.minusSeconds(10), t)), t));
        engine.drain();
        clock.advance(Duration.ofSeconds(1));
        Wait.until(Duration.ofSeconds(5), () -> of(DecisionKind.HANGUP_CALL).size() == 2, "two calls cut");
        assertEquals(Set.of("premium", "second"), of(DecisionKind.HANGUP_CALL).stream()
                .map(d -> ((org.tollguard.decision.Target.Call) d.target()).callId()).collect(java.util.stream.Collectors.toSet()),
                "the blocked destination, and the call over the cap");
    }

    @Test
    void aPreDialCheckThatTimesOutLeavesTheCallToTheBackstop() throws Exception {
        engine("calls: {pre-dial: {timeout: 50ms}, defaults: {blocked-categories: [national-amusement]}}");
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        engine.onEvent(new CallStarted("block-the-engine", "1002", "1002", "0201234567", OFFICE, clock.instant()));
        java.lang.reflect.Field f = CallEngine.class.getDeclaredField("thread");
        f.setAccessible(true);
        ((org.tollguard.engine.EngineThread) f.get(engine)).submit(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        PreDialAnswer answer = dial("1", "1003", "09061234567");
        assertTrue(answer.allowed(), "fail open: " + answer.reason());
        busy.countDown();
        engine.drain();
        clock.advance(Duration.ofSeconds(1));
        Wait.until(Duration.ofSeconds(5), () -> of(DecisionKind.HANGUP_CALL).size() == 1, "the backstop cuts it");
        assertEquals("1", ((org.tollguard.decision.Target.Call) of(DecisionKind.HANGUP_CALL).get(0).target()).callId());
    }

    @Test
    void theDurationShownIsAsOfTheMomentAsked() throws Exception {
        engine("calls: {}");
        start("1", "1001", "0201234567");
        engine.onEvent(new CallAnswered("1", clock.instant()));
        engine.drain();
        clock.advance(Duration.ofSeconds(8));
        assertEquals(8, engine.calls().get(0).durationSeconds());
    }

    @Test
    void aCallFromAnUnknownAddressIsJudgedByTheAccountsRestrictionAsConfigured() throws Exception {
        String restricted = "accounts: {\"1001\": {allowed-networks: [198.51.100.0/24]}}";
        engine("calls: {on-unknown-source: refuse, " + restricted + "}");
        assertFalse(engine.check(new PreDialRequest("1", "1001", "1001", "0201234567", null)).allowed());
        assertTrue(engine.check(new PreDialRequest("2", "1002", "1002", "0201234567", null)).allowed(),
                "an account without a restriction");
        engine.close();
        engine("calls: {" + restricted + "}");
        assertTrue(engine.check(new PreDialRequest("3", "1001", "1001", "0201234567", null)).allowed());
        assertEquals(1, of(DecisionKind.ALERT).size(), "allowed with an alert by default");
        assertEquals("unknown-source", of(DecisionKind.ALERT).get(0).evidence().get("rule"));
    }
}
