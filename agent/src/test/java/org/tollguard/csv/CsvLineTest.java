package org.tollguard.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineTest {
    @Test
    void splitsQuotedAndPlainFields() {
        assertEquals(List.of("a", "b", "c"), CsvLine.split("a,b,c"));
        assertEquals(List.of("", "", ""), CsvLine.split(",,"));
        assertEquals(List.of(""), CsvLine.split(""));
        assertEquals(List.of("1002", "\"Phone 1002\" <1002>", "x,y", ""),
                CsvLine.split("\"1002\",\"\"\"Phone 1002\"\" <1002>\",\"x,y\",\"\""));
        assertEquals(List.of("2026-11-22 18:38:05", "", "3"), CsvLine.split("\"2026-11-22 18:38:05\",,3"));
    }

    @Test
    void rejectsBrokenQuoting() {
        assertEquals("quoted field at column 3 is not closed",
                assertThrows(IllegalArgumentException.class, () -> CsvLine.split("a,\"b")).getMessage());
        assertEquals("unexpected 'c' after the quoted field at column 1",
                assertThrows(IllegalArgumentException.class, () -> CsvLine.split("\"b\"c,d")).getMessage());
        assertEquals("stray '\"' in an unquoted field at column 2",
                assertThrows(IllegalArgumentException.class, () -> CsvLine.split("a\"b")).getMessage());
    }
}
