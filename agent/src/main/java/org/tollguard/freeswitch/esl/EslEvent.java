package org.tollguard.freeswitch.esl;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One FreeSWITCH event with its header values URL-decoded.
 *
 * @param name     {@code Event-Name}, e.g. {@code CHANNEL_HANGUP_COMPLETE}, or {@code CUSTOM} for custom events;
 *                 "" if the event had none
 * @param subclass {@code Event-Subclass} (e.g. {@code sofia::register_failure}), or null
 * @param headers  every header in arrival order; a repeated header (e.g. {@code profile-name} in
 *                 {@code sofia::register_failure}) keeps all its values, an {@code ARRAY::a|:b} value becomes the
 *                 values a, b
 * @param body     the event's own body (e.g. a BACKGROUND_JOB's command output), or null
 */
public record EslEvent(String name, String subclass, Map<String, List<String>> headers, String body) {
    public EslEvent {
        name = name == null ? "" : name;
        headers = Headers.freeze(headers);
    }

    static EslEvent of(Map<String, List<String>> headers, String body) {
        return new EslEvent(Headers.first(headers, "Event-Name"), Headers.first(headers, "Event-Subclass"), headers,
                body);
    }

    /**
     * Parses an event frame ({@code text/event-plain} or {@code text/event-json}).
     *
     * @throws IOException if the frame is of another type or its JSON is malformed
     */
    public static EslEvent parse(EslMessage frame) throws IOException {
        String type = frame.contentType();
        if ("text/event-plain".equalsIgnoreCase(type)) {
            return EventParser.parsePlain(frame.body());
        }
        if ("text/event-json".equalsIgnoreCase(type)) {
            return EventParser.parseJson(frame.body());
        }
        throw new IOException("not an event frame: Content-Type " + type);
    }

    /** The first value of the header (case-insensitive name), or null. */
    public String header(String name) {
        return Headers.first(headers, name);
    }

    /** All values of the header in arrival order; empty if absent. */
    public List<String> headerValues(String name) {
        return Headers.values(headers, name);
    }

    /** True for {@code CUSTOM} events of the given subclass, e.g. {@code isCustom("sofia::register_failure")}. */
    public boolean isCustom(String subclass) {
        return "CUSTOM".equals(name) && subclass.equals(this.subclass);
    }

    @Override
    public String toString() {
        return "EslEvent[" + name + (subclass == null ? "" : " " + subclass) + ", headers=" + headers.size()
                + (body == null ? "" : ", body=" + body.length() + " chars") + "]";
    }
}
