package org.tollguard.freeswitch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code show channels as json} as FreeSWITCH 1.10.12 writes it: mod_commands runs {@code select * from channels}
 * and cJSON_PrintUnformatted's {@code {"row_count":N,"rows":[...]}}, every column a string, in the table's column
 * order (switch_core_sqldb.c); {@code {"row_count": 0}} plus a newline when there are no rows.
 */
final class ShowChannels {
    static final List<String> COLUMNS = List.of("uuid", "direction", "created", "created_epoch", "name", "state",
            "cid_name", "cid_num", "ip_addr", "dest", "application", "application_data", "dialplan", "context",
            "read_codec", "read_rate", "read_bit_rate", "write_codec", "write_rate", "write_bit_rate", "secure",
            "hostname", "presence_id", "presence_data", "accountcode", "callstate", "callee_name", "callee_num",
            "callee_direction", "call_uuid", "sent_callee_name", "sent_callee_num", "initial_cid_name",
            "initial_cid_num", "initial_ip_addr", "initial_dest", "initial_dialplan", "initial_context");

    private ShowChannels() {}

    /** The captured SIP call (raw-call-sip) as its row, answered, in echo. */
    static Map<String, String> sipCall() {
        Map<String, String> r = row(Replay.CALL_UUID, "inbound", "sofia/internal/1000@127.0.0.1");
        r.put("created", "2026-11-22 18:00:06");
        r.put("created_epoch", "1795370406");
        r.put("cid_name", "sipp 1000");
        r.put("cid_num", "1000");
        r.put("ip_addr", "127.0.0.1");
        r.put("dest", "9196");
        r.put("application", "echo");
        r.put("presence_id", "1000@127.0.0.1");
        r.put("accountcode", "1000");
        r.put("callstate", "ACTIVE");
        r.put("initial_cid_name", "sipp 1000");
        r.put("initial_cid_num", "1000");
        r.put("initial_ip_addr", "127.0.0.1");
        r.put("initial_dest", "9196");
        return r;
    }

    static Map<String, String> row(String uuid, String direction, String name) {
        Map<String, String> r = new LinkedHashMap<>();
        for (String c : COLUMNS) {
            r.put(c, "");
        }
        r.put("uuid", uuid);
        r.put("call_uuid", uuid);
        r.put("direction", direction);
        r.put("name", name);
        r.put("created", "2026-11-22 18:10:00");
        r.put("created_epoch", "1795371000");
        r.put("state", "CS_EXECUTE");
        r.put("dialplan", "XML");
        r.put("context", "default");
        r.put("hostname", "vm");
        r.put("callstate", "RINGING");
        r.put("initial_dialplan", "XML");
        r.put("initial_context", "default");
        return r;
    }

    @SafeVarargs
    static String json(Map<String, String>... rows) {
        if (rows.length == 0) {
            return "{\"row_count\": 0}\n";
        }
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("row_count", rows.length);
            g.writeArrayFieldStart("rows");
            for (Map<String, String> r : rows) {
                g.writeStartObject();
                for (String c : COLUMNS) {
                    g.writeStringField(c, r.get(c));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
