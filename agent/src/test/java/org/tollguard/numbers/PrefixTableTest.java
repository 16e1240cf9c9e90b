package org.tollguard.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrefixTableTest {
    private final PrefixTable<String> table = PrefixTable.of(Map.of("3", "three", "371", "latvia", "37190", "premium"));

    @Test
    void longestPrefixWins() {
        assertEquals("premium", table.longestPrefix("37190123456", 0));
        assertEquals("latvia", table.longestPrefix("37167123456", 0));
        assertEquals("latvia", table.longestPrefix("3719", 0));
        assertEquals("three", table.longestPrefix("31206747000", 0));
        assertNull(table.longestPrefix("44", 0));
        assertNull(table.longestPrefix("", 0));
    }

    @Test
    void startsWhereAsked() {
        assertEquals("premium", table.longestPrefix("+37190123456", 1));
        assertNull(table.longestPrefix("+37190123456", 0));
    }

    @Test
    void refusesNonDigitPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> PrefixTable.of(Map.of("+31", "x")));
        assertThrows(IllegalArgumentException.class, () -> PrefixTable.of(Map.of("", "x")));
        assertEquals(3, table.size());
    }
}
