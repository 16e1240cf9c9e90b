package org.tollguard.freeswitch.esl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EslLogLineTest {
    private static final Pattern ENTRY =
            Pattern.compile("^\\S+ \\S+ \\S+% \\[(\\w+)\\] (\\S+?):(\\d+) ");

    /** One log entry of freeswitch-log-auth-lines.txt: a dated line plus its continuation lines. */
    record Entry(String data, int level, String file, int line) {}

    /** The captured log lines grouped into entries (a line not starting with a date continues the previous one). */
    static List<Entry> capturedEntries() {
        String text = new String(Captures.bytes("freeswitch-log-auth-lines.txt"), StandardCharsets.UTF_8);
        List<StringBuilder> groups = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.matches("^\\d{4}-\\d\\d-\\d\\d .*") || groups.isEmpty()) {
                groups.add(new StringBuilder());
            }
            groups.get(groups.size() - 1).append(l).append('\n');
        }
        List<Entry> entries = new ArrayList<>();
        for (StringBuilder g : groups) {
            Matcher m = ENTRY.matcher(g);
            assertTrue(m.find(), g.toString());
            int level = List.of("CONSOLE", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG")
                    .indexOf(m.group(1));
            entries.add(new Entry(g.toString(), level, m.group(2), Integer.parseInt(m.group(3))));
        }
        return entries;
    }

    /** The function each logging line of sofia_reg.c 1.10.12 is in. */
    static String function(int line) {
        return line == 3210 ? "sofia_reg_parse_auth" : "sofia_reg_handle_register_token";
    }

    static byte[] logFrame(Entry e) {
        // SWITCH_CHANNEL_LOG: Text-Channel 0 (SWITCH_CHANNEL_ID_LOG), no user data
        return Frames.logData(e.level(), 0, e.file(), function(e.line()), e.line(), null, e.data());
    }

    @Test
    void everyCapturedAuthLogLineParsesFromItsLogDataFrame() throws IOException {
        List<Entry> entries = capturedEntries();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        entries.forEach(e -> stream.writeBytes(logFrame(e)));
        EslFrameReader reader = new EslFrameReader(ChunkedInputStream.oneByteAtATime(stream.toByteArray()));
        int challenges = 0;
        for (Entry e : entries) {
            EslMessage m = reader.read();
            assertEquals("log/data", m.contentType());
            EslLogLine line = EslLogLine.parse(m);
            assertEquals(4, line.level());
            assertEquals("sofia_reg.c", line.file());
            assertEquals(e.line(), line.line());
            assertEquals(function(e.line()), line.function());
            assertNull(line.channelUuid());
            assertEquals(e.data().substring(0, e.data().length() - 1), line.text());
            if (line.message().startsWith("SIP auth challenge (")) {
                challenges++;
                assertTrue(line.message().endsWith(" from ip 127.0.0.1"), line.message());
            }
        }
        assertNull(reader.read());
        // grep -c '^2026' and grep -c 'SIP auth challenge' on the capture
        assertEquals(24, entries.size());
        assertEquals(14, challenges);
    }

    @Test
    void messageStripsThePrefixAndKeepsContinuationLines() throws IOException {
        Entry cantFind = capturedEntries().stream().filter(e -> e.line() == 3210).findFirst().orElseThrow();
        EslLogLine line = EslLogLine.parse(new EslFrameReader(new ByteArrayInputStream(logFrame(cantFind))).read());
        assertEquals("Can't find user [9999@127.0.0.1] from 127.0.0.1\nYou must define a domain called '127.0.0.1'"
                + " in your directory and add a user with the id=\"9999\" attribute", line.message());
    }

    @Test
    void aSessionLogCarriesTheChannelUuid() throws IOException {
        byte[] frame = Frames.logData(7, 3, "switch_core_state_machine.c", "switch_core_session_run", 629,
                "69de9c32-9c13-4fe9-a68c-eb4f1c342f5d",
                "69de9c32-9c13-4fe9-a68c-eb4f1c342f5d 2026-11-22 18:00:33.304383 98.10% [DEBUG] "
                        + "switch_core_state_machine.c:629 (sofia/internal/1000@127.0.0.1) State NEW\n");
        EslLogLine line = EslLogLine.parse(new EslFrameReader(new ByteArrayInputStream(frame)).read());
        assertEquals(7, line.level());
        assertEquals(629, line.line());
        assertEquals("69de9c32-9c13-4fe9-a68c-eb4f1c342f5d", line.channelUuid());
        assertTrue(line.text().endsWith("State NEW"));
    }
}
