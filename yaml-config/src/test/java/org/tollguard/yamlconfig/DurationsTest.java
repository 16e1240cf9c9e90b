package org.tollguard.yamlconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "250ms, PT0.25S",
            "90s, PT1M30S",
            "10m, PT10M",
            "6h, PT6H",
            "7d, PT168H",
            "2w, PT336H",
            "1h30m, PT1H30M",
            "1d2h3m4s5ms, PT26H3M4.005S",
            "0s, PT0S",
            "' 5m ', PT5M",
    })
    void parses(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"250ms", "90s", "10m", "6h", "7d", "2w", "1h30m", "1w1d1h1m1s1ms", "0s", "36500d"})
    void formatIsTheShortestTextAndReadsBack(String text) {
        Duration d = Durations.parse(text);
        assertEquals(d, Durations.parse(Durations.format(d)));
    }

    @Test
    void formatsCanonically() {
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("7d", Durations.format(Duration.ofDays(7)));
        assertEquals("14d", Durations.format(Durations.parse("2w")));
        assertEquals("30d", Durations.format(Duration.ofDays(30)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("1s1ms", Durations.format(Duration.ofMillis(1001)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("1h", Durations.format(Durations.parse("60m")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 minutes", "-1s", "-5s", "1.5h", "", "  ", "5", "h", "1x", "1H", "1h 30m", "+5s", "1 h", "PT5M", "5sec"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("'" + text + "' is not a duration (write e.g. 90s, 10m, 6h, 7d)", e.getMessage());
    }

    @Test
    void rejectsNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
        assertEquals("'null' is not a duration (write e.g. 90s, 10m, 6h, 7d)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999d", "1317624576693539402w", "999999999999999d", "36501d", "5300w"})
    void rejectsDurationsTooLongToUse(String text) {
        // used to fail with 'For input string', 'long overflow', or a silently wrapped (negative) week count
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("'" + text + "' is too long a duration (at most 36500d, 100 years)", e.getMessage());
    }
}
