package org.tollguard.freeswitch.esl;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Event Socket frames from a byte stream: header lines {@code Name: value\n} up to a blank line, then, if
 * there is a {@code Content-Length}, exactly that many body bytes.
 *
 * <p>Frames may arrive torn at any byte boundary; the reader simply blocks until the rest arrives. Limits keep memory
 * bounded: a header block over {@value #MAX_HEADER_BYTES} bytes or a body over {@code maxFrameBytes} is an
 * {@link EslProtocolException} (the stream cannot be resynchronised; drop the connection), thrown before any body
 * memory is allocated. A header line without a colon is skipped with a warning. Stray blank lines between frames are
 * skipped. {@code \r\n} line ends are accepted. Not thread-safe: one reader thread per stream.
 */
public final class EslFrameReader {
    /** Default body limit: 16 MiB, the same limit FreeSWITCH applies to what it receives. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** Limit for one frame's outer header block (FreeSWITCH's are a few hundred bytes). */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(EslFrameReader.class);

    private final InputStream in;
    private final int maxFrameBytes;
    private byte[] line = new byte[256];

    public EslFrameReader(InputStream in) {
        this(in, DEFAULT_MAX_FRAME_BYTES);
    }

    public EslFrameReader(InputStream in, int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 0");
        }
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 64 * 1024);
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Reads the next frame, blocking until it is complete.
     *
     * @return the frame, or null if the stream ended cleanly between frames
     * @throws EOFException if the stream ended inside a frame (a torn frame)
     * @throws EslProtocolException if the frame breaks a limit or has an unusable Content-Length
     */
    public EslMessage read() throws IOException {
        Headers.Builder headers = new Headers.Builder();
        int headerBytes = 0;
        boolean started = false;
        while (true) {
            int len = 0;
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    if (!started && len == 0) {
                        return null;
                    }
                    throw new EOFException("connection closed inside a frame header after " + (headerBytes + len)
                            + " bytes");
                }
                if (headerBytes + len >= MAX_HEADER_BYTES) {
                    throw new EslProtocolException("frame header block longer than " + MAX_HEADER_BYTES + " bytes");
                }
                if (len == line.length) {
                    line = Arrays.copyOf(line, len * 2);
                }
                line[len++] = (byte) c;
            }
            headerBytes += len + 1;
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
            if (len == 0) {
                if (started) {
                    break;
                }
                continue; // stray blank line between frames
            }
            started = true;
            addHeaderLine(headers, len);
        }
        EslMessage head = new EslMessage(headers.build(), null);
        String contentLength = head.header("Content-Length");
        if (contentLength == null) {
            return head;
        }
        long size;
        try {
            size = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new EslProtocolException("invalid Content-Length '" + printable(contentLength) + "'");
        }
        if (size < 0) {
            throw new EslProtocolException("invalid Content-Length '" + contentLength + "'");
        }
        if (size > maxFrameBytes) {
            throw new EslProtocolException("frame body of " + size + " bytes (Content-Type " + head.contentType()
                    + ") exceeds the limit of " + maxFrameBytes + " bytes");
        }
        byte[] body = in.readNBytes((int) size);
        if (body.length < size) {
            throw new EOFException("connection closed inside a frame body after " + body.length + " of " + size
                    + " bytes");
        }
        return new EslMessage(head.headers(), body);
    }

    private void addHeaderLine(Headers.Builder headers, int len) {
        int colon = -1;
        for (int i = 0; i < len; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        String text = new String(line, 0, len, StandardCharsets.UTF_8);
        if (colon <= 0) {
            log.warn("ignoring Event Socket header line without a name and colon line=\"{}\"", printable(text));
            return;
        }
        int v = colon + 1;
        while (v < len && (line[v] == ' ' || line[v] == '\t')) {
            v++;
        }
        String name = new String(line, 0, colon, StandardCharsets.UTF_8).trim();
        headers.add(name, new String(line, v, len - v, StandardCharsets.UTF_8));
    }

    /** Control characters escaped and long text cut, for log lines. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                b.append(String.format("\\x%02x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        if (b.length() >= 200) {
            b.append("...");
        }
        return b.toString();
    }
}
