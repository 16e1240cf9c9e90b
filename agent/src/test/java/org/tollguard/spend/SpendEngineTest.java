package org.tollguard.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.decision.DecisionKind;
import org.tollguard.numbers.Category;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallRecord;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.LiveCallsSnapshot;

/** Days, time zones, thin history, rate changes, restarts and the PBX's own records. */
class SpendEngineTest {
    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    /** 1 EUR a minute by the second to the US, 0.01 to NL fixed (not monitored), 0909 at 1 EUR a minute. */
    private static final String DECK = """
            1,United States,1.00,0,1/1
            31,Netherlands fixed,0.01,0,60/60
            31909,Netherlands amusement,1.00,0,1/1
            """;

    @TempDir
    Path dir;

    private SpendRig rig(Instant start, String extra) throws Exception {
        Path deck = SpendRig.deck(dir, DECK);
        return new SpendRig(dir, start, """
                ids:
                  time-zone: Europe/Amsterdam
                  rate-deck: %s
                %s
                """.formatted(deck, extra.indent(2)));
    }

    private static Instant local(int y, int m, int d, int h, int min, int s) {
        return LocalDate.of(y, m, d).atTime(h, min, s).atZone(AMSTERDAM).toInstant();
    }

    private static BigDecimal eur(String amount) {
        return Money.of(amount);
    }

    @Test
    void dayRolloverAtLocalMidnightCarriesLiveCallsIntoTheNewDay() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 12, 0, 0), "delta: 100\nmin-history: 0d")) {
            rig.talk("alice", "0012125551234", 180); // 3.00 today
            rig.advance(Duration.between(rig.clock.instant(), local(2025, 6, 10, 23, 50, 0)));
            String late = rig.call("alice", "0012125559999");
            rig.advance(Duration.ofSeconds(599));
            rig.tick();
            SpendStatus before = rig.spend.status("alice");
            assertEquals(LocalDate.of(2025, 6, 10), before.day());
            assertEquals(eur("3.00"), before.finished());
            assertEquals(eur("9.983333"), before.live());
            assertEquals(eur("12.983333"), before.today());

            rig.advance(Duration.ofSeconds(2)); // 00:00:01 local, 22:00:01 UTC
            rig.tick();
            SpendStatus after = rig.spend.status("alice");
            assertEquals(LocalDate.of(2025, 6, 11), after.day(), "a new day at local midnight, not UTC midnight");
            assertEquals(Money.ZERO, after.finished(), "yesterday's calls no longer count");
            assertEquals(eur("10.016667"), after.live(), "a call in progress counts in full on the new day");
            assertEquals(eur("3.00"), after.baseline(), "yesterday is now history");
            assertEquals(1, after.baselineDays());

            rig.advance(Duration.ofMinutes(5));
            rig.end(late);
            rig.settle();
            SpendStatus ended = rig.spend.status("alice");
            assertEquals(eur("15.016667"), ended.finished(), "it ended today: it counts today");
            assertEquals(1, rig.cdrs.endedBetween("alice", local(2025, 6, 11, 0, 0, 0), local(2025, 6, 12, 0, 0, 0)).size());
        }
    }

    @Test
    void tripsOncePerAccountPerDayAndAgainTheNextDay() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 9, 0, 0), "delta: 5")) {
            rig.talk("bob", "0012125551234", 301); // 5.016667 > 5
            rig.settle();
            assertEquals(1, rig.blocksOf("bob").size());
            assertEquals("tripped", rig.spend.status("bob").status());
            assertNotNull(rig.spend.status("bob").tripped());

            // the operator lets bob go on today: the IDS does not block him again today
            rig.decisions.lift(DecisionKind.BLOCK_ACCOUNT, "bob", "operator", "customer confirmed");
            rig.settle();
            String more = rig.call("bob", "0012125551234");
            for (int i = 0; i < 60; i++) {
                rig.advance(Duration.ofSeconds(1));
                rig.tick();
            }
            rig.end(more);
            rig.settle();
            assertEquals(1, rig.blocksOf("bob").size(), "once per day");
            assertFalse(rig.callEngine.isBlocked("bob"));

            // the next day counts afresh
            rig.advance(Duration.between(rig.clock.instant(), local(2025, 6, 11, 9, 0, 0)));
            rig.tick();
            assertNull(rig.spend.status("bob").tripped());
            rig.talk("bob", "0012125551234", 301);
            rig.settle();
            assertEquals(2, rig.blocksOf("bob").size(), "tripped again on a new day");
        }
    }

    @Test
    void daysFollowTheConfiguredTimeZoneThroughDaylightSavingChanges() throws Exception {
        // 26 Oct 2025: clocks go back, the day is 25 hours: 2025-10-25T22:00Z .. 2025-10-26T23:00Z
        try (SpendRig rig = rig(Instant.parse("2025-10-19T00:00:00Z"), "delta: 1000\nwindow: 7d\nmin-history: 7d")) {
            rig.history("c1", "dora", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-10-25T21:59:59Z"), "1.00");
            rig.history("c2", "dora", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-10-25T22:30:00Z"), "2.00");
            rig.history("c3", "dora", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-10-26T22:59:59Z"), "4.00");
            rig.history("c4", "dora", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-10-26T23:00:00Z"), "8.00");
            rig.advance(Duration.between(rig.clock.instant(), Instant.parse("2025-10-26T12:00:00Z")));
            SpendStatus sunday = rig.spend.status("dora");
            assertEquals(LocalDate.of(2025, 10, 26), sunday.day());
            assertEquals(eur("6.00"), sunday.finished(), "00:30 CEST and 23:59:59 CET are the same 25-hour day");

            rig.advance(Duration.between(rig.clock.instant(), Instant.parse("2025-10-26T23:00:00Z")));
            SpendStatus monday = rig.spend.status("dora");
            assertEquals(LocalDate.of(2025, 10, 27), monday.day(), "midnight CET is 23:00 UTC");
            assertEquals(eur("8.00"), monday.finished());
        }
    }

    @Test
    void springForwardDayHas23Hours() throws Exception {
        // 30 Mar 2025: 2025-03-29T23:00Z .. 2025-03-30T22:00Z
        try (SpendRig rig = rig(Instant.parse("2025-03-29T12:00:00Z"), "delta: 1000")) {
            rig.history("s1", "emil", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-03-29T22:59:59Z"), "1.00");
            rig.history("s2", "emil", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-03-29T23:00:00Z"), "2.00");
            rig.history("s3", "emil", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-03-30T21:59:59Z"), "4.00");
            rig.history("s4", "emil", "0012125551234", Category.INTERNATIONAL, Instant.parse("2025-03-30T22:00:00Z"), "8.00");
            rig.advance(Duration.between(rig.clock.instant(), Instant.parse("2025-03-30T21:00:00Z")));
            assertEquals(eur("6.00"), rig.spend.status("emil").finished());
            rig.advance(Duration.ofHours(1));
            SpendStatus next = rig.spend.status("emil");
            assertEquals(LocalDate.of(2025, 3, 31), next.day());
            assertEquals(eur("8.00"), next.finished());
        }
    }

    @Test
    void baselineCountsCalendarDaysAcrossTheClockChange() throws Exception {
        try (SpendRig rig = rig(Instant.parse("2025-10-20T00:00:00Z"), "delta: 1000\nwindow: 7d\nmin-history: 7d")) {
            for (int d = 20; d <= 26; d++) {
                rig.history("b" + d, "fred", "0012125551234", Category.INTERNATIONAL,
                        local(2025, 10, d, 12, 0, 0), "7.00");
            }
            rig.advance(Duration.between(rig.clock.instant(), local(2025, 10, 27, 8, 0, 0)));
            SpendStatus s = rig.spend.status("fred");
            assertTrue(s.fromHistory());
            assertEquals(7, s.baselineDays());
            assertEquals(eur("7.00"), s.baseline(), "seven days, one of them 25 hours long");
        }
    }

    @Test
    void accountsWithLittleOrNoHistoryUseTheFloor() throws Exception {
        Instant now = local(2025, 6, 10, 9, 0, 0);
        try (SpendRig rig = rig(now, "delta: 10\nfloor: 5\nmin-history: 7d")) {
            for (int d = 1; d <= 3; d++) {
                rig.history("y" + d, "young", "0012125551234", Category.INTERNATIONAL, now.minus(Duration.ofDays(d)), "100");
            }
            for (int d = 1; d <= 7; d++) {
                rig.history("o" + d, "old", "0012125551234", Category.INTERNATIONAL, now.minus(Duration.ofDays(d)), "2");
            }
            rig.history("q1", "quiet", "0012125551234", Category.INTERNATIONAL, now.minus(Duration.ofDays(90)), "500");

            SpendStatus fresh = rig.spend.status("newcomer");
            assertEquals(eur("5"), fresh.baseline());
            assertEquals(0, fresh.baselineDays());
            assertFalse(fresh.fromHistory());
            assertEquals(eur("15"), fresh.threshold());

            SpendStatus young = rig.spend.status("young");
            assertEquals(3, young.baselineDays());
            assertEquals(eur("5"), young.baseline(), "3 days are too few: the floor, not 100 a day");

            SpendStatus old = rig.spend.status("old");
            assertTrue(old.fromHistory());
            assertEquals(eur("2"), old.baseline());
            assertEquals(eur("12"), old.threshold());

            SpendStatus quiet = rig.spend.status("quiet");
            assertEquals(60, quiet.baselineDays(), "days without calls count, from the first day of history");
            assertEquals(Money.ZERO, quiet.baseline(), "nothing spent within the window");

            // a newcomer trips at floor + delta
            String c = rig.call("newcomer", "0012125551234");
            int s = 0;
            while (rig.blocksOf("newcomer").isEmpty() && s < 3600) {
                rig.advance(Duration.ofSeconds(1));
                s++;
                rig.tick();
            }
            assertEquals(901, s, "15 EUR at 1 EUR a minute: over after 900 s");
            assertTrue(rig.hungUp.contains(c));
            assertEquals("false", String.valueOf(rig.blocksOf("newcomer").get(0).evidence().get("baseline-from-history")));
        }
    }

    @Test
    void aRateDeckReloadAppliesToNewCallsWhileLiveCallsKeepTheirRate() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 9, 0, 0), "delta: 1000")) {
            String first = rig.call("gina", "09091234567");
            rig.advance(Duration.ofSeconds(60));
            Files.writeString(rig.config.ids().rateDeck(), DECK.replace("31909,Netherlands amusement,1.00", "31909,Netherlands amusement,3.00"));
            assertTrue(rig.rates.reload().loaded());
            String second = rig.call("gina", "09097654321");
            rig.advance(Duration.ofSeconds(60));
            rig.tick();
            SpendStatus s = rig.spend.status("gina");
            assertEquals(eur("2.00").add(eur("3.00")), s.live(), "first call 120 s at 1.00, second 60 s at 3.00");

            Files.writeString(rig.config.ids().rateDeck(), "31909,broken,x,0,1/1\n");
            Rates.Reload failed = rig.rates.reload();
            assertFalse(failed.loaded());
            assertTrue(failed.error().contains("rates.csv:1: price-per-minute 'x' is not an amount"), failed.error());
            String third = rig.call("gina", "09090000000");
            rig.advance(Duration.ofSeconds(60));
            rig.tick();
            assertEquals(eur("3.00").add(eur("6.00")).add(eur("3.00")), rig.spend.status("gina").live(),
                    "the third call got the deck still in use (3.00)");

            rig.end(first);
            rig.end(second);
            rig.end(third);
            rig.settle();
            assertEquals(eur("3.00"), rig.cdrs.byId(first).orElseThrow().cost());
            assertEquals(eur("6.00"), rig.cdrs.byId(second).orElseThrow().cost());
            assertEquals(eur("3.00"), rig.cdrs.byId(third).orElseThrow().cost());
        }
    }

    @Test
    void onlyMonitoredCategoriesCountAndEmergencyCallsAreNeverCut() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 9, 0, 0), "delta: 1\nmonitored-categories: [international]")) {
            rig.talk("hank", "0201234567", 3600); // 0.60 of national calls
            rig.talk("hank", "09091234567", 60); // 1.00 of amusement, not monitored here
            rig.settle();
            assertEquals(Money.ZERO, rig.spend.status("hank").today());
            assertTrue(rig.blocks().isEmpty());
            assertEquals(eur("0.60"), rig.cdrs.byId("call-1").orElseThrow().cost(), "stored with its cost all the same");

            String emergency = rig.call("hank", "112");
            String abroad = rig.call("hank", "0012125551234");
            for (int i = 0; i < 61; i++) {
                rig.advance(Duration.ofSeconds(1));
                rig.tick();
            }
            assertEquals(1, rig.blocksOf("hank").size());
            assertTrue(rig.hungUp.contains(abroad));
            assertFalse(rig.hungUp.contains(emergency), "112 is never cut");
            assertEquals(1, ((Number) rig.blocksOf("hank").get(0).evidence().get("calls-cut")).intValue());
        }
    }

    @Test
    void aRestartKeepsTheHistoryTheTripAndTheBlock() throws Exception {
        Instant start = local(2025, 6, 10, 9, 0, 0);
        try (SpendRig rig = rig(start, "delta: 5")) {
            rig.talk("ivan", "0012125551234", 400); // 6.666667
            rig.settle();
            assertEquals(1, rig.blocksOf("ivan").size());
        }
        try (SpendRig rig = rig(start.plus(Duration.ofHours(1)), "delta: 5")) {
            assertTrue(rig.callEngine.isBlocked("ivan"), "the block survives the restart");
            SpendStatus s = rig.spend.status("ivan");
            assertEquals(eur("6.666667"), s.finished(), "today's spend is read back");
            assertEquals("tripped", s.status());
            rig.pbx.onEvent(new CallEnded("nothing", -1, 16, rig.clock.instant()));
            rig.tick();
            assertEquals(1, rig.blocksOf("ivan").size(), "not blocked a second time today");
            assertTrue(rig.spend.accounts().contains("ivan"));
        }
    }

    @Test
    void thePbxsOwnRecordReplacesOurCountOfBillableSeconds() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 9, 0, 0), "delta: 1000")) {
            String a = rig.call("jack", "0012125551234");
            rig.advance(Duration.ofMillis(10_400));
            rig.end(a);
            rig.settle();
            assertEquals(11, rig.cdrs.byId(a).orElseThrow().billableSeconds(), "started seconds count");
            assertEquals(eur("0.183333"), rig.spend.status("jack").finished());
            Instant answered = rig.clock.instant().minusMillis(10_400);
            rig.pbx.onEvent(new CallRecord(a, "jack", "0012125551234", answered, answered, rig.clock.instant(), 10, 10,
                    "ANSWERED", rig.clock.instant()));
            rig.settle();
            Cdr corrected = rig.cdrs.byId(a).orElseThrow();
            assertEquals(10, corrected.billableSeconds());
            assertEquals("cdr", corrected.origin());
            assertEquals(eur("0.166667"), corrected.cost());
            assertEquals(eur("0.166667"), rig.spend.status("jack").finished(), "today's spend follows");

            // a record before the end event finishes the call; the late end changes nothing
            String b = rig.call("jack", "0012125551234");
            rig.advance(Duration.ofSeconds(30));
            Instant bAnswered = rig.clock.instant().minusSeconds(30);
            rig.pbx.onEvent(new CallRecord(b, "jack", "0012125551234", bAnswered, bAnswered, rig.clock.instant(), 30, 29,
                    "ANSWERED", rig.clock.instant()));
            rig.end(b);
            rig.settle();
            assertEquals(29, rig.cdrs.byId(b).orElseThrow().billableSeconds());
            assertEquals(eur("0.166667").add(eur("0.483333")), rig.spend.status("jack").finished());
        }
    }

    @Test
    void aRecordOfAnEarlierDialNeitherEndsTheCallNorLowersItsCount() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 9, 0, 0), "delta: 3")) {
            String c = rig.start("lena", "0012125551234");
            rig.advance(Duration.ofSeconds(5));
            // the first route failed: Asterisk closes that dial's record while the channel dials the next route
            rig.pbx.onEvent(new CallRecord(c, "lena", "0012125551234", rig.clock.instant().minusSeconds(5), null,
                    rig.clock.instant(), 5, 0, "NO ANSWER", rig.clock.instant()));
            rig.answer(c);
            int s = 0;
            while (rig.blocksOf("lena").isEmpty() && s < 600) {
                rig.advance(Duration.ofSeconds(1));
                s++;
                rig.tick();
            }
            assertEquals(181, s, "the call went on and was counted: 3 EUR at 1 EUR a minute");
            Cdr stored = rig.cdrs.byId(c).orElseThrow();
            assertEquals(181, stored.billableSeconds(), "a record of 0 s does not make the call free");
            assertEquals("live", stored.origin());
        }
    }

    @Test
    void aSnapshotAfterReconnectFinishesVanishedCallsAndPicksUpNewOnes() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 9, 0, 0), "delta: 1000")) {
            String gone = rig.call("kim", "0012125551234");
            rig.advance(Duration.ofSeconds(60));
            Instant now = rig.clock.instant();
            rig.pbx.onEvent(new LiveCallsSnapshot(List.of(new LiveCall("pbx-7", "kim", "kim", "09091234567", null,
                    now.minusSeconds(30), now.minusSeconds(30))), now));
            rig.advance(Duration.ofSeconds(30));
            rig.tick();
            Cdr ended = rig.cdrs.byId(gone).orElseThrow();
            assertEquals(now, ended.ended(), "counted until the snapshot showed it gone");
            assertEquals(eur("1.00"), ended.cost());
            SpendStatus s = rig.spend.status("kim");
            assertEquals(1, s.liveCalls());
            assertEquals(eur("1.00"), s.live(), "the call found in the snapshot: 60 s at 1.00");
        }
    }

    @Test
    void aTickOverAThousandLiveCallsIsFast() throws Exception {
        try (SpendRig rig = rig(local(2025, 6, 10, 9, 0, 0), "delta: 1000000")) {
            for (int i = 0; i < 1000; i++) {
                rig.call("acct-" + (i % 100), "001212555" + String.format("%04d", i));
            }
            rig.settle();
            SpendEngine.TickStats last = null;
            for (int i = 0; i < 50; i++) {
                rig.advance(Duration.ofSeconds(1));
                last = rig.spend.tickNow().get();
            }
            assertEquals(1000, last.liveCalls());
            assertEquals(100, last.accounts());
            assertTrue(last.nanos() < 50_000_000L, "tick took " + last.nanos() / 1000 + " µs (bench/ids measures it)");
        }
    }
}
