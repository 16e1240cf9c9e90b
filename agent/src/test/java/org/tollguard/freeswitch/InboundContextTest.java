package org.tollguard.freeswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A call that starts in FreeSWITCH's {@code public} context (a gateway's inbound DID, vanilla and FusionPBX) is
 * inbound and never a counted call. Frames captured from FreeSWITCH 1.10.12 (a phone's call in {@code default});
 * the inbound case is the same frame with only its context set to {@code public}, as a gateway's call has it.
 */
class InboundContextTest {
    private static String captured(String name) throws Exception {
        try (InputStream in = InboundContextTest.class.getResourceAsStream("captured/" + name)) {
            String frame = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return frame.substring(frame.indexOf('{'));
        }
    }

    private static Map<String, String> headers(String json) throws Exception {
        Map<String, String> h = new HashMap<>();
        new ObjectMapper().readTree(json).fields().forEachRemaining(e -> h.put(e.getKey(), e.getValue().asText()));
        return h;
    }

    @Test
    void aPhonesCallCountsAGatewaysCallInPublicDoesNot() throws Exception {
        Map<String, String> phone = headers(captured("030-json-CHANNEL_CREATE-sofia.txt"));
        assertEquals("default", phone.get("Caller-Context"));
        assertTrue(new ChannelFields(phone::get).isCountedLeg());
        Map<String, String> gateway = new HashMap<>(phone);
        gateway.put("Caller-Context", "public");
        assertFalse(new ChannelFields(gateway::get).isCountedLeg());
    }

    @Test
    void theChannelListTellsTheSame() throws Exception {
        String phone = captured("show-channels-call-up-api-response.txt");
        List<ChannelRows.Row> rows = ChannelRows.parse(phone);
        assertEquals(1, rows.stream().filter(ChannelRows.Row::isCountedLeg).count(), "the phone's leg only");
        List<ChannelRows.Row> inbound = ChannelRows.parse(phone.replace("\"initial_context\":\"default\"",
                "\"initial_context\":\"public\""));
        assertEquals(0, inbound.stream().filter(ChannelRows.Row::isCountedLeg).count());
    }
}
