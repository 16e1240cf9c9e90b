package org.tollguard.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Target;
import org.tollguard.decision.Target;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.pbx.PbxConnection;
import org.tollguard.pbx.PbxConnectionListener;

class AlertListenerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    final List<Alert> heard = new CopyOnWriteArrayList<>();
    final AlertListener listener = new AlertListener(heard::add, Duration.ofMillis(300), Clock.systemUTC());

    @AfterEach
    void close() {
        listener.close();
    }

    private static Decision decision(DecisionKind kind, Origin origin, Map<String, Object> evidence) {
        return Decision.of(kind, new Target.Account("x"), "why", evidence, origin, NOW, null);
    }

    @Test
    void severityFollowsTheKindForTheAgentsOwnDecisions() {
        assertEquals(Severity.WARNING, AlertListener.severityOf(decision(DecisionKind.BAN_ADDRESS, Origin.LOCAL, null)));
        assertEquals(Severity.CRITICAL, AlertListener.severityOf(decision(DecisionKind.BLOCK_ACCOUNT, Origin.LOCAL, null)));
        assertEquals(Severity.WARNING, AlertListener.severityOf(decision(DecisionKind.HANGUP_CALL, Origin.LOCAL, null)));
        assertEquals(Severity.NOTICE, AlertListener.severityOf(decision(DecisionKind.REFUSE_CALL, Origin.LOCAL, null)));
        assertEquals(Severity.WARNING, AlertListener.severityOf(decision(DecisionKind.ALERT, Origin.LOCAL, null)));
        assertEquals(Severity.CRITICAL, AlertListener.severityOf(decision(DecisionKind.ALERT, Origin.LOCAL,
                Map.of("severity", "critical"))));
        assertEquals(Severity.WARNING, AlertListener.severityOf(decision(DecisionKind.ALERT, Origin.LOCAL,
                Map.of("severity", "loud"))), "an unknown declared severity falls back");
    }

    @Test
    void operatorsAndCommunityDecisionsAreQuieter() {
        assertEquals(Severity.NOTICE, AlertListener.severityOf(decision(DecisionKind.BLOCK_ACCOUNT, Origin.OPERATOR, null)));
        assertEquals(Severity.NOTICE, AlertListener.severityOf(decision(DecisionKind.BAN_ADDRESS, Origin.OPERATOR, null)));
        assertEquals(Severity.INFO, AlertListener.severityOf(decision(DecisionKind.BAN_ADDRESS, Origin.COMMUNITY, null)));
    }

    @Test
    void aDecisionBecomesAnAlertWithItsEvidence() {
        Decision d = Decision.of(DecisionKind.HANGUP_CALL, new Target.Call("asterisk", "c1", "2001", 16),
                "max-duration 2h reached", Map.of("destination", "+3190612345"), Origin.LOCAL, NOW, null).withId(42);
        listener.onDecision(d);
        Alert a = heard.get(0);
        assertEquals("hangup-call", a.kind());
        assertEquals("2001", a.target());
        assertEquals("call from 2001 to +3190612345 hung up: max-duration 2h reached", a.summary());
        assertEquals(NOW, a.at());
        assertEquals("c1", a.details().get("call-id"));
        assertEquals(42L, a.details().get("decision"));
        assertEquals("local", a.details().get("origin"));
    }

    /** A PBX connection whose state the test sets. */
    static final class FakePbx implements PbxConnection {
        volatile boolean up;

        @Override
        public String name() {
            return "asterisk 127.0.0.1:5038";
        }

        @Override
        public boolean isConnected() {
            return up;
        }

        @Override
        public Instant stateSince() {
            return NOW;
        }

        @Override
        public void addConnectionListener(PbxConnectionListener listener) {}
    }

    @Test
    void aPbxDownLongerThanTheGraceIsCriticalAndSoIsItsReturn() throws Exception {
        FakePbx pbx = new FakePbx();
        Instant down = Instant.now();
        listener.connectionChanged(pbx, false, down, "disconnected");
        listener.connectionChanged(pbx, false, down.plusMillis(100), "connect failed: refused"); // a retry: same outage
        Thread.sleep(600);
        assertEquals(1, heard.size());
        Alert a = heard.get(0);
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals("pbx-down", a.kind());
        assertEquals("asterisk 127.0.0.1:5038", a.target());
        assertTrue(a.summary().contains("unreachable since " + down + " (disconnected)"), a.summary());

        pbx.up = true;
        listener.connectionChanged(pbx, true, down.plusSeconds(90), "reconnected");
        assertEquals(2, heard.size());
        assertEquals(Severity.CRITICAL, heard.get(1).severity(), "reaches every channel that heard of the outage");
        assertEquals("pbx-up", heard.get(1).kind());
        assertTrue(heard.get(1).summary().endsWith("is connected again after 1m30s down"), heard.get(1).summary());
    }

    @Test
    void aShortBlipIsNotAlerted() throws Exception {
        FakePbx pbx = new FakePbx();
        listener.connectionChanged(pbx, false, Instant.now(), "disconnected");
        Thread.sleep(100);
        pbx.up = true;
        listener.connectionChanged(pbx, true, Instant.now(), "reconnected");
        Thread.sleep(500);
        assertEquals(List.of(), heard);
    }
}
