package org.tollguard.freeswitch.esl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** log/data frames of a real FreeSWITCH 1.10.12 (../shared/freeswitch/raw-log-data). */
class EslLogLineTest {
    private static EslLogLine parse(String file) throws IOException {
        return EslLogLine.parse(new EslFrameReader(new ByteArrayInputStream(Captures.bytes(file))).read());
    }

    @Test
    void everyCapturedLogFrameParsesReadOneByteAtATime() throws IOException {
        for (String run : List.of("run1", "run2")) {
            List<Path> files = Captures.logFrames(run);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            files.forEach(p -> stream.writeBytes(Captures.bytes(p)));
            EslFrameReader reader = new EslFrameReader(ChunkedInputStream.oneByteAtATime(stream.toByteArray()));
            int challenges = 0;
            for (Path p : files) {
                EslMessage m = reader.read();
                assertEquals("log/data", m.contentType(), p.toString());
                EslLogLine line = EslLogLine.parse(m);
                String name = p.getFileName().toString();
                String[] parts = name.substring(0, name.length() - 4).split("-", 5); // NNN-log-data-LEVEL-function
                assertEquals(parts[3], List.of("CONSOLE", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO",
                        "DEBUG").get(line.level()), name);
                assertEquals(parts[4], line.function(), name);
                assertTrue(line.line() > 0, name);
                assertTrue(!line.text().endsWith("\n"), name);
                if (line.message().startsWith("SIP auth challenge (")) {
                    challenges++;
                }
            }
            assertNull(reader.read());
            assertEquals(run.equals("run1") ? 8 : 2, challenges, run); // grep -l 'SIP auth challenge'
        }
    }

    @Test
    void messageStripsThePrefixAndKeepsContinuationLines() throws IOException {
        EslLogLine line = parse("raw-log-data/run2/005-log-data-WARNING-sofia_reg_parse_auth.txt");
        assertEquals("sofia_reg.c", line.file());
        assertEquals(3210, line.line());
        assertNull(line.channelUuid(), "User-Data: with only a space");
        assertEquals("Can't find user [9999@198.51.100.101] from 203.0.113.102\nYou must define a domain called"
                + " '198.51.100.101' in your directory and add a user with the id=\"9999\" attribute\nand you must"
                + " configure your device to use the proper domain in its authentication credentials.", line.message());
    }

    @Test
    void aSessionLineNamesItsChannelOnlyInUserData() throws IOException {
        EslLogLine line = parse("raw-log-data/run1/008-log-data-NOTICE-switch_channel_set_name.txt");
        assertEquals(5, line.level());
        assertEquals("30956827-5c95-4410-a7e8-8fe0558600a5", line.channelUuid());
        assertEquals("New Channel sofia/internal/1001@198.51.100.101 [30956827-5c95-4410-a7e8-8fe0558600a5]",
                line.message());

        EslLogLine failClosed = parse("raw-log-data/run1/084-log-data-ERR-log_function.txt");
        assertEquals("f592b2e0-1f23-48af-896b-fb32fdf20be6", failClosed.channelUuid());
        assertEquals("tollguard: no verdict from the agent (result ''), call refused: fail mode closed",
                failClosed.message(), "the body has no UUID prefix (fs_cli adds it; the Event Socket does not)");
    }

    @Test
    void aCleanLineHasNoPrefixToStrip() throws IOException {
        EslLogLine line = parse("raw-log-data/run1/083-log-data-INFO-switch_core_session_exec.txt");
        assertEquals(6, line.level());
        assertEquals("EXECUTE [depth=1] sofia/internal/1001@198.51.100.101 log(ERR tollguard: no verdict from the"
                + " agent (result ''), call refused: fail mode closed)", line.message());
        assertEquals(line.text(), line.message());
    }
}
