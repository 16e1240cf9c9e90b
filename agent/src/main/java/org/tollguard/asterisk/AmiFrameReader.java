package org.tollguard.asterisk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads AMI frames ({@code Key: Value} lines, a blank line ends a frame) straight from the socket's bytes, keeping
 * only the values of the keys in {@link AmiFrame}: no map, no string for a key we do not read. A line longer than
 * {@link #MAX_LINE} bytes is skipped and a frame of more than {@link #MAX_LINES} lines dropped, each with a log
 * line, so a broken or hostile stream costs a bounded amount of memory.
 */
final class AmiFrameReader {
    private static final Logger log = LoggerFactory.getLogger(AmiFrameReader.class);
    static final int MAX_LINE = 8192;
    static final int MAX_LINES = 512;

    private static final byte[][] KEYS = {
        ascii("Event"), ascii("Response"), ascii("Message"), ascii("Challenge"), ascii("Service"),
        ascii("AccountID"), ascii("SessionID"), ascii("LocalAddress"), ascii("RemoteAddress")};

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int end;
    private final String[] values = new String[KEYS.length];
    private int lines;
    private long skippedLines;
    private long droppedFrames;

    AmiFrameReader(InputStream in) {
        this(in, 64 * 1024);
    }

    AmiFrameReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[Math.max(bufferSize, MAX_LINE + 2)];
    }

    /** One line without its end (the banner); null at end of stream. */
    String readLine() throws IOException {
        while (true) {
            int nl = indexOfNewline();
            if (nl >= 0) {
                String line = new String(buf, pos, trimmedEnd(pos, nl) - pos, StandardCharsets.UTF_8);
                pos = nl + 1;
                return line;
            }
            if (end - pos > MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes where the banner should be");
            }
            if (!fill()) {
                return null;
            }
        }
    }

    /** The next frame; null at end of stream (a frame cut off by the end is lost). */
    AmiFrame next() throws IOException {
        while (true) {
            int nl = indexOfNewline();
            if (nl < 0) {
                if (end - pos > MAX_LINE) {
                    skipLongLine();
                    continue;
                }
                if (!fill()) {
                    return null;
                }
                continue;
            }
            int lineEnd = trimmedEnd(pos, nl);
            int start = pos;
            pos = nl + 1;
            if (lineEnd == start) {
                if (lines == 0) {
                    continue;
                }
                AmiFrame frame = lines > MAX_LINES ? null : frame();
                if (frame == null) {
                    droppedFrames++;
                    log.warn("ami frame dropped: more than {} lines (dropped so far: {})", MAX_LINES, droppedFrames);
                }
                clear();
                if (frame != null) {
                    return frame;
                }
                continue;
            }
            lines++;
            if (lines <= MAX_LINES) {
                header(start, lineEnd);
            }
        }
    }

    long skippedLines() {
        return skippedLines;
    }

    long droppedFrames() {
        return droppedFrames;
    }

    private void header(int start, int lineEnd) {
        int colon = -1;
        for (int i = start; i < lineEnd; i++) {
            if (buf[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= start) {
            return;
        }
        int key = key(start, colon);
        if (key < 0) {
            return;
        }
        int v = colon + 1;
        while (v < lineEnd && buf[v] == ' ') {
            v++;
        }
        values[key] = new String(buf, v, lineEnd - v, StandardCharsets.UTF_8);
    }

    private int key(int start, int colon) {
        int len = colon - start;
        for (int k = 0; k < KEYS.length; k++) {
            byte[] name = KEYS[k];
            if (name.length == len && equalsIgnoreCase(name, start)) {
                return k;
            }
        }
        return -1;
    }

    private boolean equalsIgnoreCase(byte[] name, int at) {
        for (int i = 0; i < name.length; i++) {
            int a = buf[at + i];
            int b = name[i];
            if (a != b && (a | 0x20) != (b | 0x20)) {
                return false;
            }
        }
        return true;
    }

    private AmiFrame frame() {
        return new AmiFrame(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7],
                values[8]);
    }

    private void clear() {
        java.util.Arrays.fill(values, null);
        lines = 0;
    }

    /** Drops bytes up to and including the next line end, reading on as needed. */
    private void skipLongLine() throws IOException {
        skippedLines++;
        log.warn("ami line longer than {} bytes skipped (skipped so far: {})", MAX_LINE, skippedLines);
        lines++;
        while (true) {
            int nl = indexOfNewline();
            if (nl >= 0) {
                pos = nl + 1;
                return;
            }
            pos = end;
            if (!fill()) {
                return;
            }
        }
    }

    private int indexOfNewline() {
        for (int i = pos; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** End of the line at {@code nl} without its {@code \r} and trailing blanks. */
    private int trimmedEnd(int start, int nl) {
        int e = nl;
        while (e > start && (buf[e - 1] == '\r' || buf[e - 1] == ' ')) {
            e--;
        }
        return e;
    }

    /** Moves the unread bytes to the front and reads more; false at end of stream. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        if (end == buf.length) {
            return true; // full of one line: the caller sees it is too long
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
