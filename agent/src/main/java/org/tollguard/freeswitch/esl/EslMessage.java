package org.tollguard.freeswitch.esl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One raw Event Socket frame: the outer header block exactly as received (not URL-decoded; FreeSWITCH does not
 * encode outer headers) and the body of {@code Content-Length} bytes (empty if there was none).
 *
 * <p>Header lookup is case-insensitive; a repeated header keeps all its values and {@link #header} returns the first.
 */
public record EslMessage(Map<String, List<String>> headers, byte[] body) {
    public EslMessage {
        headers = Headers.freeze(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of the header, or null if absent. */
    public String header(String name) {
        return Headers.first(headers, name);
    }

    /** All values of the header in arrival order; empty if absent. */
    public List<String> headerValues(String name) {
        return Headers.values(headers, name);
    }

    /** {@code Content-Type}, e.g. {@code text/event-plain}, {@code api/response}; null if absent. */
    public String contentType() {
        return header("Content-Type");
    }

    /** The body as UTF-8 text ("" if none). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EslMessage m && headers.equals(m.headers) && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "EslMessage[contentType=" + contentType() + ", headers=" + headers.size() + ", body=" + body.length
                + " bytes]";
    }
}
