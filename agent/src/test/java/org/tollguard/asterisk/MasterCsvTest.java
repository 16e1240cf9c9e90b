package org.tollguard.asterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.tollguard.pbx.CallRecord;

/** Lines as the testbed's Asterisk 22 writes them with loguniqueid and loguserfield, and cdr_csv's other forms. */
class MasterCsvTest {
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private static final String BASE = "\"1002\",\"1002\",\"09001234567\",\"from-phones\",\"\"\"Phone 1002\"\" <1002>\","
            + "\"PJSIP/1002-00000018\",\"Local/09001234567@fake-provider-0000000d;1\",\"Dial\","
            + "\"Local/09001234567@fake-provider\",\"2026-11-22 19:09:56\",\"2026-11-22 19:09:56\","
            + "\"2026-11-22 19:09:59\",2,2,\"ANSWERED\",\"DOCUMENTATION\"";

    @Test
    void readsAPhonesCall() {
        CallRecord r = MasterCsv.parse(BASE + ",\"tg-pbx-1795374596.50\",\"\"", ZoneOffset.UTC, NOW);
        assertEquals("tg-pbx-1795374596.50", r.callId());
        assertEquals("1002", r.account());
        assertEquals("09001234567", r.destination());
        assertEquals(Instant.parse("2026-11-22T19:09:56Z"), r.started());
        assertEquals(Instant.parse("2026-11-22T19:09:56Z"), r.answered());
        assertEquals(Instant.parse("2026-11-22T19:09:59Z"), r.ended());
        assertEquals(2, r.durationSeconds());
        assertEquals(2, r.billableSeconds());
        assertEquals("ANSWERED", r.disposition());
    }

    @Test
    void findsTheUniqueIdWhateverOptionalColumnsCdrCsvWrote() {
        assertEquals("PJSIP/1002-00000018@2026-11-22T19:09:56Z", MasterCsv.parse(BASE, ZoneOffset.UTC, NOW).callId(),
                "16 columns: no uniqueid, channel and start stand in");
        assertEquals("tg-pbx-1795374596.50", MasterCsv.parse(BASE + ",\"tg-pbx-1795374596.50\"", ZoneOffset.UTC, NOW).callId());
        assertEquals("1795374596.50", MasterCsv.parse(BASE + ",\"1795374596.50\"", ZoneOffset.UTC, NOW).callId(),
                "an Asterisk without systemname");
        assertEquals("PJSIP/1002-00000018@2026-11-22T19:09:56Z",
                MasterCsv.parse(BASE + ",\"customer 17\"", ZoneOffset.UTC, NOW).callId(), "17 columns: a userfield");
        assertEquals("PJSIP/1002-00000018@2026-11-22T19:09:56Z",
                MasterCsv.parse(BASE + ",\"\",\"tg-pbx-1795374596.50\",3", ZoneOffset.UTC, NOW).callId(),
                "19 columns: newcdrcolumns only");
        assertEquals("tg-pbx-1795374596.50", MasterCsv.parse(BASE
                + ",\"tg-pbx-1795374596.50\",\"\",\"\",\"tg-pbx-1795374596.50\",3", ZoneOffset.UTC, NOW).callId(), "21 columns");
    }

    @Test
    void readsLocalTimeInTheGivenZoneThroughClockChanges() {
        ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");
        assertEquals(Instant.parse("2026-11-22T18:09:56Z"), MasterCsv.parse(BASE, amsterdam, NOW).started());
        String summer = BASE.replace("2026-11-22", "2026-07-01");
        assertEquals(Instant.parse("2026-07-01T17:09:56Z"), MasterCsv.parse(summer, amsterdam, NOW).started());
        String repeated = BASE.replace("2026-11-22 19:09", "2026-10-25 02:30");
        assertEquals(Instant.parse("2026-10-25T00:30:56Z"), MasterCsv.parse(repeated, amsterdam, NOW).started(),
                "an hour that happened twice: the earlier");
    }

    @Test
    void dialledLegsAreNotCallsAndAMissingAccountCodeMeansTheEndpoint() {
        assertNull(MasterCsv.parse(BASE.replace("\"PJSIP/1002-00000018\"", "\"Local/09001234567@fake-provider-0000000d;2\""),
                ZoneOffset.UTC, NOW));
        assertEquals("1002", MasterCsv.parse(BASE.replaceFirst("\"1002\"", "\"\""), ZoneOffset.UTC, NOW).account());
        assertNull(MasterCsv.parse(BASE.replace(",\"2026-11-22 19:09:56\",\"2026-11-22 19:09:59\"",
                ",,\"2026-11-22 19:09:59\""), ZoneOffset.UTC, NOW).answered(), "no answer time: not answered");
    }

    @Test
    void badLinesSayWhatIsWrong() {
        assertMessage(BASE.replace(",2,2,", ",2,x,"), "billsec 'x' is not a number of seconds");
        assertMessage(BASE.replace("\"2026-11-22 19:09:59\"", "\"22/11/2026 19:09:59\""),
                "end time '22/11/2026 19:09:59' is not YYYY-MM-DD HH:MM:SS");
        assertMessage("\"1002\",\"1002\"", "expected 16 to 21 columns");
        assertMessage("\"1002\",\"10", "quoted field at column 8 is not closed");
    }

    private static void assertMessage(String line, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MasterCsv.parse(line, ZoneOffset.UTC, NOW));
        assertEquals(true, e.getMessage().startsWith(expected), e.getMessage());
    }
}
