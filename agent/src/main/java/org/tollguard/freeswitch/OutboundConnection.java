package org.tollguard.freeswitch;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One connection FreeSWITCH's {@code socket} application opened to us (mod_event_socket's outbound mode), seen
 * from our side: we send commands ({@code connect}, {@code sendmsg}, {@code exit}), FreeSWITCH answers each with one
 * frame. Frames are header lines up to a blank line, then a body if there is a {@code Content-Length}.
 *
 * <p>The answer to {@code connect} is the channel's data as a serialised event: every header of a CHANNEL_DATA
 * event, URL-encoded like events are, with {@code Content-Type: command/reply} among them. It can be tens of
 * kilobytes (every channel variable), hence its own reader with a 1 MiB limit rather than the inbound client's
 * 64 KiB header limit.
 */
final class OutboundConnection implements AutoCloseable {
    static final int MAX_HEADER_BYTES = 1024 * 1024;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    /** One frame's headers (first value of each name, case-insensitive) and body. */
    record Frame(Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String contentType() {
            String t = header("Content-Type");
            return t == null ? "" : t.strip().toLowerCase(Locale.ROOT);
        }

        String replyText() {
            String r = header("Reply-Text");
            return r == null ? "" : r.strip();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    OutboundConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 4 * 1024);
    }

    /** Writes a command: its first line, header lines, and the blank line that ends it. */
    void send(String command, String... headerLines) throws IOException {
        StringBuilder b = new StringBuilder(command).append('\n');
        for (String h : headerLines) {
            b.append(h).append('\n');
        }
        b.append('\n');
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads the next frame.
     *
     * @param urlDecoded decode {@code %XX} in header values (the {@code connect} answer is a serialised event)
     * @return the frame, or null if FreeSWITCH closed the connection between frames
     */
    Frame read(boolean urlDecoded) throws IOException {
        Map<String, String> headers = new HashMap<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int total = 0;
        boolean started = false;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (!started) {
                    return null;
                }
                throw new EOFException("FreeSWITCH closed the connection inside a frame");
            }
            if (++total > MAX_HEADER_BYTES) {
                throw new IOException("frame header block longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (c != '\n') {
                if (c != '\r') {
                    line.write(c);
                }
                continue;
            }
            if (line.size() == 0) {
                if (!started) {
                    continue; // stray blank line between frames
                }
                break;
            }
            started = true;
            byte[] b = line.toByteArray();
            line.reset();
            int colon = indexOf(b, (byte) ':');
            if (colon <= 0) {
                continue;
            }
            int v = colon + 1;
            while (v < b.length && b[v] == ' ') {
                v++;
            }
            String name = new String(b, 0, colon, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
            String value = urlDecoded ? urlDecode(b, v, b.length) : new String(b, v, b.length - v, StandardCharsets.UTF_8);
            headers.putIfAbsent(name, value);
        }
        String body = null;
        String length = headers.get("content-length");
        if (length != null) {
            int n;
            try {
                n = Integer.parseInt(length.strip());
            } catch (NumberFormatException e) {
                throw new IOException("unusable Content-Length '" + Text.clean(length) + "'");
            }
            if (n < 0 || n > MAX_BODY_BYTES) {
                throw new IOException("Content-Length " + n + " out of range");
            }
            byte[] buf = in.readNBytes(n);
            if (buf.length < n) {
                throw new EOFException("FreeSWITCH closed the connection inside a frame body");
            }
            body = new String(buf, StandardCharsets.UTF_8);
        }
        return new Frame(headers, body);
    }

    /** Reads frames until the connection ends or FreeSWITCH says goodbye (a disconnect notice). */
    void drain() throws IOException {
        Frame f;
        while ((f = read(false)) != null) {
            if (f.contentType().equals("text/disconnect-notice")) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** {@code %XX} becomes that byte, everything else is literal (FreeSWITCH's own url-decoding; {@code +} stays). */
    static String urlDecode(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            if (b[i] == '%' && i + 2 < to) {
                int hi = Character.digit(b[i + 1], 16);
                int lo = Character.digit(b[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(b[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
