package org.tollguard.asterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmiFrameReaderTest {
    private static final String FAILED = "Event: ChallengeResponseFailed\r\nPrivilege: security,all\r\n"
            + "Timestamp: 1764969600.000001\r\nSeverity: Error\r\nService: PJSIP\r\nEventVersion: 1\r\n"
            + "AccountID: 1001\r\nSessionID: 2472395155\r\nLocalAddress: IPV4/UDP/198.51.100.1/5060\r\n"
            + "RemoteAddress: IPV4/UDP/203.0.113.7/5062\r\nChallenge: 1764969600/abc\r\nResponse: ff00\r\n"
            + "ExpectedResponse: \r\n\r\n";

    /** Hands out its bytes {@code chunk} at a time, as a socket may. */
    private static InputStream chunked(String text, int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), bytes.length - pos);
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static List<AmiFrame> all(AmiFrameReader r) throws IOException {
        List<AmiFrame> frames = new ArrayList<>();
        AmiFrame f;
        while ((f = r.next()) != null) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void readsTheKeysItNeeds() throws IOException {
        AmiFrame f = new AmiFrameReader(new ByteArrayInputStream(FAILED.getBytes(StandardCharsets.UTF_8))).next();
        assertEquals(AmiFrame.security("ChallengeResponseFailed", "IPV4/UDP/203.0.113.7/5062",
                "IPV4/UDP/198.51.100.1/5060", "PJSIP", "1001", "2472395155"),
                new AmiFrame(f.event(), null, null, null, f.service(), f.accountId(), f.sessionId(), f.localAddress(),
                        f.remoteAddress()));
        assertEquals("ff00", f.response(), "an event's own Response key is read as it is");
    }

    @Test
    void framesCutAcrossReadsAtEveryPoint() throws IOException {
        String text = "Asterisk Call Manager/11.0.0\r\n" + FAILED + FAILED.replace("203.0.113.7", "203.0.113.8");
        for (int chunk = 1; chunk <= 40; chunk++) {
            AmiFrameReader r = new AmiFrameReader(chunked(text, chunk), 64);
            assertEquals("Asterisk Call Manager/11.0.0", r.readLine());
            List<AmiFrame> frames = all(r);
            assertEquals(2, frames.size(), "chunk " + chunk);
            assertEquals("IPV4/UDP/203.0.113.7/5062", frames.get(0).remoteAddress());
            assertEquals("IPV4/UDP/203.0.113.8/5062", frames.get(1).remoteAddress());
            assertEquals("2472395155", frames.get(1).sessionId());
        }
    }

    @Test
    void bareNewlinesAndBlankLinesBetweenFramesAreFine() throws IOException {
        String text = "\r\n\r\nEvent: SuccessfulAuth\nRemoteAddress: IPV6/UDP/2001:db8::5/5060\n\nResponse: Success\r\n"
                + "Ping: Pong\r\n\r\n";
        List<AmiFrame> frames = all(new AmiFrameReader(chunked(text, 7)));
        assertEquals(2, frames.size());
        assertEquals("IPV6/UDP/2001:db8::5/5060", frames.get(0).remoteAddress());
        assertEquals("Success", frames.get(1).response());
        assertNull(frames.get(1).event());
    }

    @Test
    void missingKeysAreNull() throws IOException {
        AmiFrame f = new AmiFrameReader(chunked("Event: FailedACL\r\nNoColonHere\r\n: empty key\r\n\r\n", 5)).next();
        assertEquals("FailedACL", f.event());
        assertNull(f.remoteAddress());
        assertNull(f.accountId());
    }

    @Test
    void anOversizeLineIsSkippedAndTheStreamGoesOn() throws IOException {
        String huge = "AccountID: " + "x".repeat(AmiFrameReader.MAX_LINE * 3) + "\r\n";
        String text = "Event: InvalidAccountID\r\n" + huge + "RemoteAddress: IPV4/UDP/203.0.113.9/5060\r\n\r\n" + FAILED;
        AmiFrameReader r = new AmiFrameReader(chunked(text, 1000));
        List<AmiFrame> frames = all(r);
        assertEquals(2, frames.size());
        assertNull(frames.get(0).accountId());
        assertEquals("IPV4/UDP/203.0.113.9/5060", frames.get(0).remoteAddress());
        assertEquals("1001", frames.get(1).accountId());
        assertEquals(1, r.skippedLines());
    }

    @Test
    void aFrameOfEndlessLinesIsDropped() throws IOException {
        String text = "Event: InvalidPassword\r\n" + "X-Filler: 1\r\n".repeat(AmiFrameReader.MAX_LINES + 10) + "\r\n" + FAILED;
        AmiFrameReader r = new AmiFrameReader(chunked(text, 4096));
        List<AmiFrame> frames = all(r);
        assertEquals(1, frames.size());
        assertEquals("ChallengeResponseFailed", frames.get(0).event());
        assertEquals(1, r.droppedFrames());
    }

    @Test
    void aFrameCutOffByTheEndIsLost() throws IOException {
        assertEquals(List.of(), all(new AmiFrameReader(chunked("Event: InvalidPassword\r\nRemoteAddr", 3))));
    }

    @Test
    void keysAreMatchedWithoutRegardToCase() throws IOException {
        AmiFrame f = new AmiFrameReader(chunked("event: InvalidPassword\r\nREMOTEADDRESS:IPV4/UDP/203.0.113.7/1\r\n\r\n", 64)).next();
        assertEquals("InvalidPassword", f.event());
        assertEquals("IPV4/UDP/203.0.113.7/1", f.remoteAddress());
    }
}
