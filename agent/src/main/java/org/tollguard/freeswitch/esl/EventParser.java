package org.tollguard.freeswitch.esl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parses the bodies of {@code text/event-plain} and {@code text/event-json} frames into {@link EslEvent}s. */
final class EventParser {
    private static final Logger log = LoggerFactory.getLogger(EventParser.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** FreeSWITCH serialises array headers as {@code ARRAY::a|:b|:c}. */
    private static final String ARRAY_PREFIX = "ARRAY::";

    private EventParser() {}

    /**
     * An event-plain body: URL-encoded {@code Name: value} lines, a blank line, and if the event has a
     * {@code Content-Length} header, a raw (not encoded) body of that many bytes.
     */
    static EslEvent parsePlain(byte[] b) {
        Headers.Builder headers = new Headers.Builder(b.length / 32); // FreeSWITCH's header lines average ~35 bytes
        int pos = 0;
        String contentLength = null;
        while (pos < b.length) {
            int nl = indexOf(b, (byte) '\n', pos);
            int next = nl < 0 ? b.length : nl + 1;
            int end = nl < 0 ? b.length : nl;
            if (end > pos && b[end - 1] == '\r') {
                end--;
            }
            if (end == pos) {
                pos = next;
                break;
            }
            int colon = indexOf(b, (byte) ':', pos, end);
            if (colon <= pos) {
                log.warn("ignoring event header line without a name and colon line=\"{}\"",
                        EslFrameReader.printable(new String(b, pos, end - pos, StandardCharsets.UTF_8)));
            } else {
                int v = colon + 1;
                while (v < end && (b[v] == ' ' || b[v] == '\t')) {
                    v++;
                }
                String name = new String(b, pos, colon - pos, StandardCharsets.UTF_8).trim();
                String value = urlDecode(b, v, end);
                addValue(headers, name, value);
                if (contentLength == null && name.equalsIgnoreCase("Content-Length")) {
                    contentLength = value; // noted here: looking it up afterwards scans every header when absent
                }
            }
            pos = next;
        }
        Map<String, List<String>> h = headers.build();
        String body = null;
        if (contentLength != null) {
            int remaining = b.length - pos;
            int n;
            try {
                n = Integer.parseInt(contentLength.trim());
            } catch (NumberFormatException e) {
                n = remaining;
            }
            if (n < 0 || n > remaining) {
                log.warn("event body shorter than its Content-Length contentLength={} bytes={}", contentLength,
                        remaining);
                n = remaining;
            }
            body = new String(b, pos, n, StandardCharsets.UTF_8);
        }
        return EslEvent.of(h, body);
    }

    /**
     * An event-json body: one object of string values; array headers are JSON arrays; the body is {@code _body}.
     * FreeSWITCH (cJSON) writes a repeated header as a repeated key, so this reads with a streaming parser to keep
     * every value.
     */
    static EslEvent parseJson(byte[] b) throws IOException {
        Headers.Builder headers = new Headers.Builder();
        String body = null;
        try (JsonParser p = JSON.createParser(b)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("event-json body is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_ARRAY) {
                    while ((value = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (value.isScalarValue()) {
                            headers.add(name, p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (value == JsonToken.START_OBJECT) {
                    log.debug("ignoring nested object in event-json header={}", name);
                    p.skipChildren();
                } else if ("_body".equals(name)) {
                    body = p.getText();
                } else {
                    headers.add(name, value == JsonToken.VALUE_NULL ? "" : p.getText());
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IOException("event-json body is not a complete JSON object");
            }
        }
        return EslEvent.of(headers.build(), body);
    }

    private static void addValue(Headers.Builder headers, String name, String value) {
        if (value.startsWith(ARRAY_PREFIX)) {
            for (String item : value.substring(ARRAY_PREFIX.length()).split("\\|:", -1)) {
                headers.add(name, item);
            }
        } else {
            headers.add(name, value);
        }
    }

    /**
     * Percent-decoding as FreeSWITCH's own {@code esl_url_decode}: {@code %XX} becomes that byte, everything else
     * (including {@code +}, which is not a space here) is literal; the bytes are UTF-8.
     */
    static String urlDecode(byte[] b, int from, int to) {
        int pct = indexOf(b, (byte) '%', from, to);
        if (pct < 0) {
            return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
        // decoded in place into one array: CHANNEL_* events carry long encoded values (SDP, dates, URIs)
        byte[] out = new byte[to - from];
        int n = pct - from;
        System.arraycopy(b, from, out, 0, n);
        for (int i = pct; i < to; i++) {
            if (b[i] == '%' && i + 2 < to) {
                int hi = Character.digit(b[i + 1], 16);
                int lo = Character.digit(b[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out[n++] = (byte) (hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out[n++] = b[i];
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, byte c, int from) {
        return indexOf(b, c, from, b.length);
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
