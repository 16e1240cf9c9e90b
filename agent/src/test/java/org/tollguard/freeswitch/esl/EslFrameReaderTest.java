package org.tollguard.freeswitch.esl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tollguard.freeswitch.esl.Frames.concat;
import static org.tollguard.freeswitch.esl.Frames.utf8;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EslFrameReaderTest {

    private static EslFrameReader reader(byte[] bytes) {
        return new EslFrameReader(new ByteArrayInputStream(bytes));
    }

    /** Writes a frame back the way it came: header lines in order, blank line, body. */
    private static byte[] reserialize(EslMessage m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, List<String>> h : m.headers().entrySet()) {
            for (String v : h.getValue()) {
                out.writeBytes(utf8(h.getKey() + ": " + v + "\n"));
            }
        }
        out.writeBytes(utf8("\n"));
        out.writeBytes(m.body());
        return out.toByteArray();
    }

    @Test
    void everyRawCaptureIsOneFrameThatRoundTripsByteForByte() throws IOException {
        for (Path p : Captures.rawEvents()) {
            byte[] file = Captures.bytes(p);
            EslFrameReader r = reader(file);
            EslMessage m = r.read();
            assertEquals("text/event-plain", m.contentType(), p.toString());
            assertEquals(Integer.parseInt(m.header("Content-Length")), m.body().length, p.toString());
            assertArrayEquals(file, reserialize(m), p.toString());
            assertNull(r.read(), "clean end of stream after " + p);
        }
    }

    @Test
    void aCaptureSplitAtEveryByteBoundaryParsesIdentically() throws IOException {
        for (Path p : Captures.rawEvents()) {
            byte[] file = Captures.bytes(p);
            EslMessage expected = reader(file).read();
            for (int cut = 1; cut < file.length; cut++) {
                // a small buffer so that refills also fall at many different offsets
                EslMessage m = new EslFrameReader(new BufferedInputStream(new ChunkedInputStream(file, cut), 256))
                        .read();
                // equal frames (headers and body bytes) give equal events: the event parser only sees the body
                assertEquals(expected, m, p + " cut at " + cut);
            }
            EslMessage trickle = new EslFrameReader(ChunkedInputStream.oneByteAtATime(file)).read();
            assertEquals(expected, trickle, p + " one byte at a time");
        }
    }

    @Test
    void aWholeRunConcatenatedAndTrickledYieldsEveryEventInOrder() throws IOException {
        List<Path> run = Captures.rawDir("raw-invite-authfail-ALL");
        List<EslMessage> expected = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path p : run) {
            byte[] b = Captures.bytes(p);
            expected.add(reader(b).read());
            all.writeBytes(b);
        }
        EslFrameReader r = new EslFrameReader(ChunkedInputStream.oneByteAtATime(all.toByteArray()));
        for (EslMessage e : expected) {
            assertEquals(e, r.read());
        }
        assertNull(r.read());
        assertEquals(14, expected.size());
    }

    @Test
    void aTenMegabyteBodyPasses() throws IOException {
        byte[] body = new byte[10 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        body[body.length - 1] = '\n';
        byte[] frame = concat(utf8("Content-Type: api/response\nContent-Length: " + body.length + "\n\n"), body,
                Frames.commandReply("+OK after"));
        EslFrameReader r = reader(frame);
        EslMessage m = r.read();
        assertArrayEquals(body, m.body());
        assertEquals("+OK after", r.read().header("Reply-Text"));
    }

    @Test
    void aBodyOverTheLimitIsRejectedBeforeAnyBodyIsRead() {
        // No body bytes follow: a reader that tried to read the body would report EOF, not the limit.
        byte[] head = utf8("Content-Type: api/response\nContent-Length: 16777217\n\n");
        EslProtocolException e = assertThrows(EslProtocolException.class, () -> reader(head).read());
        assertTrue(e.getMessage().contains("exceeds the limit of 16777216 bytes"), e.getMessage());

        byte[] huge = utf8("Content-Type: api/response\nContent-Length: 99999999999999\n\n");
        assertThrows(EslProtocolException.class, () -> reader(huge).read());

        byte[] small = utf8("Content-Type: api/response\nContent-Length: 2048\n\n");
        EslProtocolException limited = assertThrows(EslProtocolException.class,
                () -> new EslFrameReader(new ByteArrayInputStream(small), 1024).read());
        assertTrue(limited.getMessage().contains("2048"), limited.getMessage());
    }

    @Test
    void anUnusableContentLengthIsAProtocolError() {
        for (String cl : List.of("abc", "-5", "", "12 34")) {
            byte[] frame = utf8("Content-Type: api/response\nContent-Length: " + cl + "\n\nxx");
            assertThrows(EslProtocolException.class, () -> reader(frame).read(), cl);
        }
    }

    @Test
    void anEndlessHeaderBlockIsAProtocolError() {
        byte[] frame = utf8("X-Junk: " + "a".repeat(EslFrameReader.MAX_HEADER_BYTES) + "\n\n");
        assertThrows(EslProtocolException.class, () -> reader(frame).read());
    }

    @Test
    void aGarbageHeaderLineIsSkipped() throws IOException {
        byte[] frame = utf8("this line has no colon\nContent-Type: api/response\n: no name\nContent-Length: 2\n\nok");
        EslMessage m = reader(frame).read();
        assertEquals(List.of("Content-Type", "Content-Length"), List.copyOf(m.headers().keySet()));
        assertEquals("ok", m.bodyText());
    }

    @Test
    void aTornFrameIsAnEofNotAFrame() {
        byte[] file = Captures.bytes("raw-register/002-CUSTOM-sofia_register_failure.txt");
        for (int len : new int[] {5, 20, 45, 46, 100, file.length - 1}) {
            byte[] torn = Arrays.copyOf(file, len);
            assertThrows(EOFException.class, () -> reader(torn).read(), "torn at " + len);
        }
    }

    @Test
    void headersAreCaseInsensitiveKeepEveryValueAndAcceptCrLf() throws IOException {
        byte[] frame = utf8("\n\r\nContent-Type: command/reply\r\nX-Rep: a\r\nx-rep: b\r\nReply-Text:+OK\r\n\r\n");
        EslMessage m = reader(frame).read();
        assertEquals("command/reply", m.header("content-type"));
        assertEquals(List.of("a", "b"), m.headerValues("X-REP"));
        assertEquals("a", m.header("X-Rep"));
        assertEquals("+OK", m.header("Reply-Text"));
        assertEquals(0, m.body().length);
    }

    @Test
    void headerValuesOfOuterFramesAreLeftRaw() throws IOException {
        InputStream in = new ByteArrayInputStream(utf8("Content-Type: command/reply\nReply-Text: +OK 100%25\n\n"));
        assertEquals("+OK 100%25", new EslFrameReader(in).read().header("Reply-Text"));
    }
}
