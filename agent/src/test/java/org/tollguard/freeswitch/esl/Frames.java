package org.tollguard.freeswitch.esl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds frames exactly as mod_event_socket 1.10.12 writes them (see the snprintf formats quoted below). */
public final class Frames {
    /** switch_utils.h SWITCH_URL_UNSAFE. */
    private static final String UNSAFE = "\r\n #%&+:;<=>?@[\\]^`{|}\"";
    private static final String HEX = "0123456789ABCDEF";

    private Frames() {}

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** switch_url_encode (not double-encoding: a '%' followed by two upper-case hex digits is left alone). */
    public static String fsUrlEncode(String value) {
        byte[] b = utf8(value);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            int c = b[i];
            boolean keepPercent = c == '%' && i + 2 < b.length && HEX.indexOf(b[i + 1]) >= 0
                    && HEX.indexOf(b[i + 2]) >= 0;
            if (!keepPercent && (c < ' ' || c > '~' || UNSAFE.indexOf(c) >= 0)) {
                out.append('%').append(HEX.charAt((c >> 4) & 0xf)).append(HEX.charAt(c & 0xf));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    /** Name/value pairs, alternating; a name may repeat. */
    public static List<String[]> pairs(String... nameValue) {
        List<String[]> list = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            list.add(new String[] {nameValue[i], nameValue[i + 1]});
        }
        return list;
    }

    /** switch_event_serialize + "Content-Length: %d\nContent-Type: text/event-%s\n\n". */
    public static byte[] eventPlain(List<String[]> headers, String body) {
        StringBuilder inner = new StringBuilder();
        for (String[] h : headers) {
            String enc = fsUrlEncode(h[1]);
            inner.append(h[0]).append(": ").append(enc.isEmpty() ? "_undef_" : enc).append('\n');
        }
        if (body != null && !body.isEmpty()) {
            inner.append("Content-Length: ").append(utf8(body).length).append("\n\n").append(body);
        } else {
            inner.append('\n');
        }
        byte[] b = utf8(inner.toString());
        return concat(utf8("Content-Length: " + b.length + "\nContent-Type: text/event-plain\n\n"), b);
    }

    /** switch_event_serialize_json (cJSON: repeated names stay repeated) wrapped like eventPlain. */
    public static byte[] eventJson(List<String[]> headers, String body) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
            g.writeStartObject();
            for (String[] h : headers) {
                g.writeStringField(h[0], h[1]);
            }
            if (body != null) {
                g.writeStringField("Content-Length", String.valueOf(utf8(body).length));
                g.writeStringField("_body", body);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] b = json.toByteArray();
        return concat(utf8("Content-Length: " + b.length + "\nContent-Type: text/event-json\n\n"), b);
    }

    /** "Content-Type: api/response\nContent-Length: %d\n\n" + body. */
    public static byte[] apiResponse(String body) {
        byte[] b = utf8(body);
        return concat(utf8("Content-Type: api/response\nContent-Length: " + b.length + "\n\n"), b);
    }

    /** "Content-Type: command/reply\nReply-Text: %s\n\n". */
    public static byte[] commandReply(String replyText) {
        return utf8("Content-Type: command/reply\nReply-Text: " + replyText + "\n\n");
    }

    /** The inner header lines of a captured event-plain file, as [name, raw (still encoded) value]. */
    public static List<String[]> rawInnerHeaders(byte[] file) {
        String s = new String(file, StandardCharsets.UTF_8);
        String body = s.substring(s.indexOf("\n\n") + 2);
        List<String[]> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(": ");
            out.add(new String[] {line.substring(0, colon), line.substring(colon + 2)});
        }
        return out;
    }
}
