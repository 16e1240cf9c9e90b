package org.tollguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Target;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;

class DecisionRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;
    private Store store;
    private DecisionRepository repo;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("tollguard.db"));
        repo = new DecisionRepository(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Decision ban(String target, Instant at, Duration duration) {
        return Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse(target), "5 failures in 60s", Map.of("failures", 5), Origin.LOCAL,
                at, duration);
    }

    @Test
    void insertAndByIdRoundTripWithEvidence() {
        Map<String, Object> evidence = Map.of(
                "failures", 7,
                "window", "60s",
                "accounts", List.of("1001", "1002", "admin"),
                "first", Map.of("at", "2026-03-01T11:59:01Z", "port", 5060),
                "ratio", 0.25,
                "trusted", false);
        Decision d = Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.7"), "7 failures in 60s (window fast)", evidence,
                Origin.LOCAL, T0, Duration.ofHours(1));
        Decision stored = repo.insert(d);
        assertTrue(stored.id() > 0);
        assertEquals(d.withId(stored.id()), stored);
        Optional<Decision> back = repo.byId(stored.id());
        assertEquals(Optional.of(stored), back);
        assertEquals(List.of("1001", "1002", "admin"), back.get().evidence().get("accounts"));
        assertEquals(Map.of("at", "2026-03-01T11:59:01Z", "port", 5060), back.get().evidence().get("first"));
        assertEquals(T0.plus(Duration.ofHours(1)), back.get().expires());
        assertEquals(Optional.empty(), repo.byId(stored.id() + 1000));
    }

    @Test
    void idsIncrease() {
        long a = repo.insert(ban("203.0.113.1", T0, Duration.ofHours(1))).id();
        long b = repo.insert(ban("203.0.113.2", T0, Duration.ofHours(1))).id();
        assertTrue(b > a);
    }

    @Test
    void permanentDecisionHasNullExpiryAndStaysActive() {
        Decision stored = repo.insert(ban("203.0.113.7", T0, null));
        Decision back = repo.byId(stored.id()).orElseThrow();
        assertNull(back.expires());
        assertNull(back.lifted());
        assertEquals(List.of(back), repo.active(DecisionKind.BAN_ADDRESS, T0.plus(Duration.ofDays(3650))));
    }

    @Test
    void emptyEvidenceRoundTrips() {
        Decision stored = repo.insert(Decision.of(DecisionKind.ALERT, new Target.Account("203.0.113.7"), "trusted address failing", null,
                Origin.LOCAL, T0, Duration.ofMinutes(5)));
        assertEquals(Map.of(), repo.byId(stored.id()).orElseThrow().evidence());
    }

    @Test
    void storedTimesAreMillisecondsAndInsertReturnsWhatIsStored() {
        // clocks give microseconds (Instant.now()) while the table keeps milliseconds
        Instant micros = Instant.parse("2026-03-01T12:00:00.123456789Z");
        Decision stored = repo.insert(ban("203.0.113.7", micros, Duration.ofNanos(1_500_000)));
        assertEquals(repo.byId(stored.id()).orElseThrow(), stored);
        assertEquals(Instant.parse("2026-03-01T12:00:00.123Z"), stored.created());
        assertEquals(Instant.parse("2026-03-01T12:00:00.124Z"), stored.expires());
    }

    @Test
    void insertReturnsEvidenceAsStored() {
        // JSON has one number type: a small long comes back as an int; insert must say so, not keep the Long
        Decision stored = repo.insert(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.7"), "r",
                Map.of("first-seen-ms", 5L, "big", 1_700_000_000_000L), Origin.LOCAL, T0, null));
        assertEquals(repo.byId(stored.id()).orElseThrow(), stored);
        assertEquals(5, stored.evidence().get("first-seen-ms"));
        assertEquals(1_700_000_000_000L, stored.evidence().get("big"));
    }

    @Test
    void liftedFieldsOfAnInsertedDecisionAreKept() {
        Decision lifted = new Decision(0, DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.7"), "r", null, Origin.OPERATOR, T0,
                T0.plusSeconds(60), T0.plusSeconds(30), "cli", "mistake");
        Decision stored = repo.insert(lifted);
        assertEquals(lifted.withId(stored.id()), stored);
        assertEquals(stored, repo.byId(stored.id()).orElseThrow());
        assertEquals(List.of(), repo.active(DecisionKind.BAN_ADDRESS, T0.plusSeconds(31)));
    }

    @Test
    void activeHonoursExpiryKindAndLift() {
        Decision expired = repo.insert(ban("203.0.113.1", T0, Duration.ofMinutes(1)));
        Decision live = repo.insert(ban("203.0.113.2", T0.plusSeconds(1), Duration.ofHours(1)));
        Decision permanent = repo.insert(ban("203.0.113.3", T0.plusSeconds(2), null));
        Decision block = repo.insert(Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account("1001"), "spend", Map.of(), Origin.LOCAL,
                T0, Duration.ofHours(1)));
        Instant now = T0.plus(Duration.ofMinutes(30));

        assertEquals(List.of(live, permanent), repo.active(DecisionKind.BAN_ADDRESS, now));
        assertEquals(List.of(expired, live, permanent), repo.active(DecisionKind.BAN_ADDRESS, T0.plusSeconds(59)));
        // expiry is exclusive: at the expiry instant the decision is over
        assertEquals(List.of(live, permanent), repo.active(DecisionKind.BAN_ADDRESS, T0.plusSeconds(60)));
        assertEquals(List.of(block), repo.active(DecisionKind.BLOCK_ACCOUNT, now));
        assertEquals(List.of(), repo.active(DecisionKind.HANGUP_CALL, now));

        assertEquals(List.of(live), repo.activeFor(DecisionKind.BAN_ADDRESS, "203.0.113.2", now));
        assertEquals(List.of(), repo.activeFor(DecisionKind.BAN_ADDRESS, "203.0.113.1", now));
        assertEquals(List.of(), repo.activeFor(DecisionKind.BLOCK_ACCOUNT, "203.0.113.2", now));
        assertTrue(live.isActive(now) && !expired.isActive(now));
    }

    @Test
    void liftMarksOnlyActiveDecisionsOfThatKindAndTarget() {
        Decision old = repo.insert(ban("203.0.113.7", T0, Duration.ofMinutes(1)));
        Decision a = repo.insert(ban("203.0.113.7", T0.plusSeconds(120), Duration.ofHours(1)));
        Decision b = repo.insert(ban("203.0.113.7", T0.plusSeconds(121), null));
        Decision other = repo.insert(ban("203.0.113.8", T0.plusSeconds(122), Duration.ofHours(1)));
        Decision alert = repo.insert(Decision.of(DecisionKind.ALERT, new Target.Account("203.0.113.7"), "x", null, Origin.LOCAL,
                T0.plusSeconds(123), Duration.ofHours(1)));
        Instant now = T0.plus(Duration.ofMinutes(10));

        assertEquals(2, repo.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", now, "operator", "customer called"));

        Decision liftedA = repo.byId(a.id()).orElseThrow();
        assertEquals(now, liftedA.lifted());
        assertEquals("operator", liftedA.liftedBy());
        assertEquals("customer called", liftedA.liftReason());
        assertEquals(now, repo.byId(b.id()).orElseThrow().lifted());
        assertNull(repo.byId(old.id()).orElseThrow().lifted(), "an expired decision is history, not lifted");
        assertNull(repo.byId(other.id()).orElseThrow().lifted());
        assertNull(repo.byId(alert.id()).orElseThrow().lifted());
        assertEquals(List.of(other), repo.active(DecisionKind.BAN_ADDRESS, now));
        assertEquals(0, repo.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", now.plusSeconds(1), "operator", "again"));
    }

    @Test
    void countCountsEveryDecisionEverTakenByOrigin() {
        repo.insert(ban("203.0.113.7", T0, Duration.ofMinutes(1)));
        repo.insert(ban("203.0.113.7", T0.plusSeconds(600), Duration.ofHours(1)));
        repo.lift(DecisionKind.BAN_ADDRESS, "203.0.113.7", T0.plusSeconds(700), "operator", "x");
        repo.insert(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113.7"), "community", null, Origin.COMMUNITY, T0,
                Duration.ofDays(1)));
        assertEquals(2, repo.count(DecisionKind.BAN_ADDRESS, "203.0.113.7", Origin.LOCAL));
        assertEquals(1, repo.count(DecisionKind.BAN_ADDRESS, "203.0.113.7", Origin.COMMUNITY));
        assertEquals(0, repo.count(DecisionKind.BAN_ADDRESS, "203.0.113.7", Origin.OPERATOR));
        assertEquals(0, repo.count(DecisionKind.BLOCK_ACCOUNT, "203.0.113.7", Origin.LOCAL));
        assertEquals(0, repo.count(DecisionKind.BAN_ADDRESS, "203.0.113.8", Origin.LOCAL));
    }

    @Test
    void recentIsNewestFirstAndLimited() {
        Decision a = repo.insert(ban("203.0.113.1", T0.plusSeconds(10), Duration.ofHours(1)));
        Decision b = repo.insert(ban("203.0.113.2", T0, Duration.ofHours(1)));
        Decision c = repo.insert(ban("203.0.113.3", T0.plusSeconds(20), Duration.ofHours(1)));
        Decision d = repo.insert(ban("203.0.113.4", T0.plusSeconds(20), Duration.ofHours(1)));
        assertEquals(List.of(d, c, a, b), repo.recent(10));
        assertEquals(List.of(d, c), repo.recent(2));
        assertEquals(List.of(), repo.recent(0));
    }

    @Test
    void reopeningKeepsDecisions() {
        Decision stored = repo.insert(ban("2001:db8::66", T0, null));
        repo.lift(DecisionKind.BAN_ADDRESS, "2001:db8::66", T0.plusSeconds(5), "cli", "test");
        store.close();
        store = Store.open(dir.resolve("tollguard.db"));
        repo = new DecisionRepository(store);
        Decision back = repo.byId(stored.id()).orElseThrow();
        assertEquals("2001:db8::66", back.target().text());
        assertEquals(T0.plusSeconds(5), back.lifted());
        assertNotEquals(stored, back);
        assertEquals(stored.id(), back.id());
    }

    @Test
    void everyKindAndOriginRoundTrips() {
        for (DecisionKind kind : DecisionKind.values()) {
            for (Origin origin : Origin.values()) {
                for (Target target : List.of(Target.Address.parse("198.51.100.0/24"), new Target.Account("1001"),
                        new Target.Call("freeswitch", "8d2c", "1001", 21), new Target.ListSource("hub"))) {
                    Decision stored = repo.insert(Decision.of(kind, target, "r", null, origin, T0, null));
                    Decision back = repo.byId(stored.id()).orElseThrow();
                    assertEquals(kind, back.kind());
                    assertEquals(origin, back.origin());
                    assertEquals(target, back.target());
                }
            }
        }
    }
}
