package org.tollguard.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Billing increments and the cost of a call: exact decimals, rounded once. */
class RatingTest {

    @ParameterizedTest(name = "{0} bills {1}s as {2}s")
    @CsvSource({
            "60/60, 0, 0", "60/60, 1, 60", "60/60, 60, 60", "60/60, 61, 120", "60/60, 3600, 3600",
            "30/6, 1, 30", "30/6, 30, 30", "30/6, 31, 36", "30/6, 36, 36", "30/6, 37, 42", "30/6, 95, 96",
            "1/1, 0, 0", "1/1, 1, 1", "1/1, 361, 361",
            "60/1, 59, 60", "60/1, 61, 61"})
    void increments(String increments, long seconds, long billed) {
        assertEquals(billed, Increments.parse(increments).billed(seconds));
    }

    @Test
    void incrementsMustBeWrittenFirstSlashNext() {
        assertEquals(new Increments(30, 6), Increments.parse(" 30/6 "));
        assertEquals("30/6", new Increments(30, 6).toString());
        for (String bad : new String[] {"60", "60/", "/60", "a/b", "60/60/60", "-1/1", "0/1", "1/0", "99999/1", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Increments.parse(bad), bad);
        }
    }

    @Test
    void costIsSetupPlusBilledMinutesAtSixDecimals() {
        Rate perMinute = rate("0.0100", "0", "60/60");
        assertEquals(new BigDecimal("0.000000"), perMinute.cost(0));
        assertEquals(new BigDecimal("0.010000"), perMinute.cost(1));
        assertEquals(new BigDecimal("0.020000"), perMinute.cost(61));

        Rate premium = rate("1.5000", "0.10", "1/1");
        assertEquals(new BigDecimal("0.100000"), premium.cost(0), "an answered call of 0 s costs its set-up price");
        assertEquals(new BigDecimal("0.125000"), premium.cost(1));
        assertEquals(new BigDecimal("1.600000"), premium.cost(60));

        // 0.8333/min by the second: 361 s = 5.0136883.. rounds half up once, at six decimals
        assertEquals(new BigDecimal("5.013688"), rate("0.8333", "0", "1/1").cost(361));
        // 1/3 of a cent per minute for 1 s: 0.0000555.. → 0.000056
        assertEquals(new BigDecimal("0.000056"), rate("0.003333", "0", "1/1").cost(1));
        // 30/6: 37 s bills 42 s
        assertEquals(new BigDecimal("0.070000"), rate("0.10", "0", "30/6").cost(37));
    }

    @Test
    void costsAddUpExactly() {
        Rate r = rate("0.0700", "0", "1/1");
        BigDecimal sum = Money.ZERO;
        for (int i = 0; i < 1000; i++) {
            sum = sum.add(r.cost(7)); // 0.008166666.. → 0.008167 each
        }
        assertEquals(new BigDecimal("8.167000"), sum);
        assertEquals(8_167_000L, Money.toMicros(sum));
        assertEquals(sum, Money.fromMicros(8_167_000L));
        assertEquals("8.17", Money.format(sum));
    }

    @Test
    void amountsAreReadAsWritten() {
        assertEquals(new BigDecimal("0.8333"), Money.parse("0.8333"));
        assertEquals(new BigDecimal("30"), Money.parse(" 30 "));
        for (String bad : new String[] {"-1", "1e3", "1,5", "€5", "", "0.1234567890123", ".5"}) {
            assertThrows(IllegalArgumentException.class, () -> Money.parse(bad), bad);
        }
    }

    static Rate rate(String perMinute, String setup, String increments) {
        return new Rate("31", "test", new BigDecimal(perMinute), new BigDecimal(setup), Increments.parse(increments));
    }
}
