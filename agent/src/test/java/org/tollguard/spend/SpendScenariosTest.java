package org.tollguard.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Origin;
import org.tollguard.numbers.Category;

/**
 * The two scenarios of the issue, end to end through the real engines: 60 days of normal traffic then a fraud
 * day, and ten hijacked calls cut the second the account passes its threshold.
 */
class SpendScenariosTest {
    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ the hijack

    @Test
    void tenHijackedCallsAreCutWhenTheAccountPassesItsThresholdNotWhenTheyEnd() throws Exception {
        Path deck = SpendRig.deck(dir, """
                prefix,description,price-per-minute,setup-price,increments
                1,North America,1.0000,0,60/60
                31909,Netherlands amusement 0909 (50 EUR/hour),0.8333,0,1/1
                """);
        Instant fraudStart = LocalDate.of(2025, 6, 10).atTime(3, 0).atZone(AMSTERDAM).toInstant();
        try (SpendRig rig = new SpendRig(dir, fraudStart, """
                ids:
                  time-zone: Europe/Amsterdam
                  rate-deck: %s
                  account-deltas:
                    victim: 30
                """.formatted(deck))) {
            // baseline 20 EUR: 60 days of 20 EUR of international calls
            for (int d = 1; d <= 60; d++) {
                Instant noon = LocalDate.of(2025, 6, 10).minusDays(d).atTime(12, 0).atZone(AMSTERDAM).toInstant();
                rig.history("h" + d, "victim", "0012125551234", Category.INTERNATIONAL, noon, "20.00");
            }
            SpendStatus before = rig.spend.status("victim");
            assertEquals(new BigDecimal("20.000000"), before.baseline());
            assertEquals(60, before.baselineDays());
            assertEquals(new BigDecimal("50.000000"), before.threshold());

            List<String> hijacked = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                hijacked.add(rig.call("victim", "0909123456" + i));
            }
            String bystander = rig.call("bystander", "09091234567");
            int second = 0;
            while (rig.blocksOf("victim").isEmpty() && second < 4 * 3600) {
                rig.advance(Duration.ofSeconds(1));
                second++;
                rig.tick();
            }
            // 10 calls x 0.8333/min by the second: 360 s cost 49.998, 361 s cost 50.13688
            assertEquals(361, second, "blocked in the first second the spend passed 50 EUR");
            assertTrue(rig.hungUp.containsAll(hijacked), "all ten calls cut: " + rig.hungUp);
            assertFalse(rig.hungUp.contains(bystander), "another account's call continues");
            assertTrue(rig.hungUpAt.stream().allMatch(t -> t.equals(fraudStart.plusSeconds(361))), "cut at once");

            SpendStatus after = rig.spend.status("victim");
            BigDecimal spentAtCutOff = after.today();
            assertEquals(new BigDecimal("50.136880"), spentAtCutOff, "euros spent at cut-off");
            assertEquals(after.finished(), spentAtCutOff, "all calls finished and stored");
            BigDecimal beyond = spentAtCutOff.subtract(after.threshold());
            assertTrue(beyond.compareTo(new BigDecimal("0.30")) < 0, "overspend under 1% of the delta: " + beyond);
            assertEquals("tripped", after.status());

            Decision block = rig.blocksOf("victim").get(0);
            assertEquals(Origin.LOCAL, block.origin());
            assertEquals(fraudStart.plusSeconds(361), block.created());
            assertEquals("spend-ids", block.evidence().get("rule"));
            assertEquals("50.136880", block.evidence().get("today-spend"));
            assertEquals("20.000000", block.evidence().get("baseline"));
            assertEquals("30", block.evidence().get("delta"));
            assertEquals("50.000000", block.evidence().get("threshold"));
            assertEquals("EUR", block.evidence().get("currency"));
            assertEquals(10, ((Number) block.evidence().get("calls-cut")).intValue());
            assertEquals(10, ((List<?>) block.evidence().get("cut-calls")).size());
            assertTrue(block.reason().contains("victim spent 50.14 EUR today"), block.reason());
            assertTrue(block.reason().contains("baseline 20.00 (average of 60 days) + delta 30.00"), block.reason());
            assertTrue(block.reason().contains("10 live calls cut: 09091234560"), block.reason());

            // the stored records are what the provider bills: 361 s each
            for (String id : hijacked) {
                Cdr cdr = rig.cdrs.byId(id).orElseThrow();
                assertEquals(361, cdr.billableSeconds());
                assertEquals(new BigDecimal("5.013688"), cdr.cost());
                assertEquals("31909", cdr.rate());
            }
            // a finished-calls-only IDS would have seen nothing until the calls ended, four hours later
            BigDecimal finishedOnly = new Rate("31909", "", new BigDecimal("0.8333"), BigDecimal.ZERO,
                    new Increments(1, 1)).cost(4 * 3600).multiply(BigDecimal.TEN);
            assertEquals(new BigDecimal("1999.920000"), finishedOnly);

            assertTrue(rig.callEngine.isBlocked("victim"), "new calls are refused");
            assertFalse(rig.callEngine.isBlocked("bystander"));
        }
    }

    // ------------------------------------------------------------------ 60 days, then fraud

    /** Prices of the simulation's deck, written out here independently of the rating code. */
    private static final String DECK = """
            1,United States,0.0500,0,60/60
            44,United Kingdom,0.0400,0,60/60
            31,Netherlands fixed,0.0100,0,60/60
            31900,Netherlands premium 0900,0.8000,0.05,1/1
            31909,Netherlands amusement 0909,1.2000,0.10,30/6
            """;

    /** cost = setup + price * billed / 60, billed by FIRST/NEXT increments, rounded half up to 6 places. */
    private static BigDecimal expected(String perMinute, String setup, int first, int next, long seconds) {
        long billed = seconds <= 0 ? 0 : seconds <= first ? first : first + ((seconds - first + next - 1) / next) * next;
        return new BigDecimal(perMinute).multiply(BigDecimal.valueOf(billed))
                .divide(BigDecimal.valueOf(60), 20, RoundingMode.HALF_UP).add(new BigDecimal(setup))
                .setScale(6, RoundingMode.HALF_UP);
    }

    private static void at(SpendRig rig, LocalDate day, LocalTime time) {
        Instant target = day.atTime(time).atZone(AMSTERDAM).toInstant();
        Duration d = Duration.between(rig.clock.instant(), target);
        assertFalse(d.isNegative(), "the clock only moves forward: " + target);
        rig.advance(d);
    }

    @Test
    void sixtyDaysOfNormalTrafficThenAFraudDayTripsTheRightAccountAtTheRightSecond() throws Exception {
        Path deck = SpendRig.deck(dir, DECK);
        LocalDate fraudDay = LocalDate.of(2025, 6, 10);
        LocalDate firstDay = fraudDay.minusDays(60);
        try (SpendRig rig = new SpendRig(dir, firstDay.atStartOfDay(AMSTERDAM).toInstant(), """
                calls:
                  groups:
                    shop:
                      accounts: [carol, dave]
                ids:
                  time-zone: Europe/Amsterdam
                  rate-deck: %s
                  delta: 25
                  group-deltas:
                    shop: 40
                """.formatted(deck))) {
            BigDecimal bobDaily = expected("0.8000", "0.05", 1, 1, 200);
            BigDecimal aliceDaily = expected("0.0500", "0", 60, 60, 600).add(expected("0.0400", "0", 60, 60, 125));
            BigDecimal carolSum = BigDecimal.ZERO;
            for (LocalDate day = firstDay; day.isBefore(fraudDay); day = day.plusDays(1)) {
                at(rig, day, LocalTime.of(9, 0));
                rig.talk("alice", "0012125551234", 600);
                at(rig, day, LocalTime.of(10, 0));
                rig.talk("bob", "09001234567", 200);
                at(rig, day, LocalTime.of(11, 0));
                rig.talk("carol", "0201234567", 3600); // national: not monitored
                if (day.getDayOfMonth() % 2 == 0) {
                    rig.talk("carol", "09091234567", 95);
                    carolSum = carolSum.add(expected("1.2000", "0.10", 30, 6, 95));
                }
                at(rig, day, LocalTime.of(14, 0));
                rig.talk("alice", "00442071234567", 125);
                if (!day.isBefore(fraudDay.minusDays(3))) {
                    rig.talk("dave", "00442071234567", 60);
                }
                rig.tick();
            }
            rig.settle();
            assertTrue(rig.blocks().isEmpty(), "normal traffic never trips: " + rig.blocks());
            assertEquals(60 * 4 + countEven(firstDay, fraudDay) + 3, rig.cdrs.count(), "every finished call stored");

            // the fraud day: everyone's usual morning; bob's account is hijacked at 10:30
            at(rig, fraudDay, LocalTime.of(9, 0));
            String aliceCall = rig.call("alice", "0012125551234");
            at(rig, fraudDay, LocalTime.of(10, 0));
            rig.talk("bob", "09001234567", 200);
            String carolCall = rig.call("carol", "0201234567");
            String daveCall = rig.call("dave", "00442071234567");

            SpendStatus bob = rig.spend.status("bob");
            assertEquals(Money.of(bobDaily), bob.baseline(), "bob's baseline is his daily spend");
            assertEquals(Money.of(bobDaily).add(new BigDecimal("25")), bob.threshold());
            assertEquals(Money.of(aliceDaily), rig.spend.status("alice").baseline());
            SpendStatus carol = rig.spend.status("carol");
            assertEquals(carolSum.divide(BigDecimal.valueOf(60), 6, RoundingMode.HALF_UP), carol.baseline());
            assertEquals(new BigDecimal("40"), carol.delta(), "group delta");
            SpendStatus dave = rig.spend.status("dave");
            assertFalse(dave.fromHistory(), "3 days of history is too little");
            assertEquals(3, dave.baselineDays());
            assertEquals(Money.ZERO, dave.baseline(), "the floor");

            at(rig, fraudDay, LocalTime.of(10, 30));
            Instant hijack = rig.clock.instant();
            List<String> fraud = List.of(rig.call("bob", "09091111111"), rig.call("bob", "09092222222"),
                    rig.call("bob", "09093333333"));

            // the first second at which finished + live passes the threshold, computed here
            BigDecimal threshold = Money.of(bobDaily).add(new BigDecimal("25"));
            int expectedSecond = 0;
            for (int s = 1; ; s++) {
                BigDecimal spend = bobDaily.add(expected("1.2000", "0.10", 30, 6, s).multiply(BigDecimal.valueOf(3)));
                if (spend.compareTo(threshold) > 0) {
                    expectedSecond = s;
                    break;
                }
            }
            int second = 0;
            while (rig.blocksOf("bob").isEmpty() && second < 3600) {
                rig.advance(Duration.ofSeconds(1));
                second++;
                rig.tick();
            }
            assertEquals(expectedSecond, second, "tripped at the first second over the threshold");
            assertEquals(409, second);
            assertEquals(List.of("bob"), rig.blocks().stream().map(d -> d.target().text()).toList(), "only bob");
            assertEquals(hijack.plusSeconds(409), rig.blocksOf("bob").get(0).created());
            assertTrue(rig.hungUp.containsAll(fraud), "bob's calls cut");
            assertFalse(rig.hungUp.contains(aliceCall) || rig.hungUp.contains(carolCall) || rig.hungUp.contains(daveCall),
                    "the others' calls continue: " + rig.hungUp);
            assertEquals(3, rig.hungUp.size());
            Map<String, Object> evidence = rig.blocksOf("bob").get(0).evidence();
            assertEquals(bobDaily.add(expected("1.2000", "0.10", 30, 6, 409).multiply(BigDecimal.valueOf(3)))
                    .toPlainString(), evidence.get("today-spend"));

            // the others go on spending normally, and later calls of theirs still count
            rig.advance(Duration.ofMinutes(5));
            rig.end(aliceCall);
            rig.tick();
            assertEquals(1, rig.blocks().size());
            assertEquals("ok", rig.spend.status("alice").status());
        }
    }

    private static long countEven(LocalDate from, LocalDate to) {
        long n = 0;
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            if (d.getDayOfMonth() % 2 == 0) {
                n++;
            }
        }
        return n;
    }
}
