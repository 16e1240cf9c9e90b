package org.tollguard.freeswitch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tollguard.net.IpAddresses;

/**
 * The answer to {@code api show channels as json}: mod_commands writes {@code {"row_count":N,"rows":[...]}} (cJSON,
 * every value a string, one object per row of the core database's {@code channels} table), or
 * {@code {"row_count": 0}} when there are none, or {@code -ERR ...}.
 */
final class ChannelRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One channel as the {@code channels} table has it. {@code callUuid}: a b-leg's is its originator's id. */
    record Row(String uuid, String direction, String name, long createdEpoch, String callstate, String accountcode,
               String presenceId, String cidNum, String ipAddr, String dest, String context,
               String callUuid) {

        /** The same rule as {@link ChannelFields#isCountedLeg()}; the table has no loopback_leg column, but the
         * channel name tells. */
        boolean isCountedLeg() {
            return "inbound".equalsIgnoreCase(direction) && (name == null || !name.startsWith("loopback/"))
                    && (context == null || !ChannelFields.INBOUND_CONTEXTS.contains(context));
        }

        boolean answered() {
            String s = callstate == null ? "" : callstate.toUpperCase(Locale.ROOT);
            return s.equals("ACTIVE") || s.equals("HELD") || s.equals("UNHELD");
        }

        Instant created() {
            return Instant.ofEpochSecond(createdEpoch);
        }

        /** accountcode, else the presence id (user@domain for a registered phone). */
        String account() {
            return Text.clean(accountcode != null ? accountcode : presenceId);
        }

        InetAddress source() {
            return IpAddresses.tryParse(ipAddr);
        }
    }

    private ChannelRows() {}

    static List<Row> parse(String body) throws IOException {
        String text = body == null ? "" : body.strip();
        if (!text.startsWith("{")) {
            throw new IOException("FreeSWITCH answered 'show channels as json' with: "
                    + Text.clean(text.isEmpty() ? "(nothing)" : text));
        }
        JsonNode root = JSON.readTree(text);
        JsonNode rows = root.path("rows");
        List<Row> out = new ArrayList<>();
        if (!rows.isArray()) {
            if (root.path("row_count").asInt(0) != 0) {
                throw new IOException("'show channels as json' has row_count but no rows");
            }
            return out;
        }
        for (JsonNode r : rows) {
            String uuid = value(r, "uuid");
            if (uuid == null || !Text.isCallId(uuid)) {
                continue;
            }
            long created;
            try {
                created = Long.parseLong(String.valueOf(value(r, "created_epoch")));
            } catch (NumberFormatException e) {
                created = 0;
            }
            out.add(new Row(uuid, value(r, "direction"), value(r, "name"), created, value(r, "callstate"),
                    value(r, "accountcode"), value(r, "presence_id"), first(r, "initial_cid_num", "cid_num"),
                    first(r, "initial_ip_addr", "ip_addr"), first(r, "initial_dest", "dest"),
                    first(r, "initial_context", "context"), value(r, "call_uuid")));
        }
        return out;
    }

    private static String first(JsonNode r, String a, String b) {
        String v = value(r, a);
        return v != null ? v : value(r, b);
    }

    private static String value(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || n.isNull() ? null : Text.value(n.asText());
    }
}
