package org.tollguard.asterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.config.AsteriskConfig;

/** Which legs go to a trunk and which calls are inbound, from the dial strings stock Asterisk and FreePBX use. */
class CallDirectionTest {
    private final CallDirection byDialString = CallDirection.of(AsteriskConfig.defaults());
    private final CallDirection listed = new CallDirection(List.of("provider"), List.of("from-provider"));

    @Test
    void aNumberHandedToAnEndpointIsATrunkLegRingingAnEndpointIsNot() {
        assertTrue(byDialString.isTrunkLeg("PJSIP/provider-0000002a", "0201234567@provider"));
        assertTrue(byDialString.isTrunkLeg("SIP/provider-0000002a", "provider/0201234567"));
        assertTrue(byDialString.isTrunkLeg("PJSIP/provider-0000002a", "provider/sip:0201234567@203.0.113.9"));
        assertFalse(byDialString.isTrunkLeg("PJSIP/1002-0000002b", "1002"));
        assertFalse(byDialString.isTrunkLeg("PJSIP/1002-0000002b", "1002/sip:1002@198.51.100.20:5060"), "FreePBX's contact dial");
        assertFalse(byDialString.isTrunkLeg("Local/0201234567@outbound-0000000d;1", "0201234567@outbound"),
                "a Local channel is followed to what its other half dials");
        assertNull(CallDirection.numberAsked("1002"));
        assertEquals("0201234567", CallDirection.numberAsked("provider/sip:0201234567;user=phone@host"));
    }

    @Test
    void listedTrunksDecideWhenConfigured() {
        assertTrue(listed.isTrunkLeg("PJSIP/provider-0000002a", "provider"));
        assertFalse(listed.isTrunkLeg("PJSIP/other-0000002a", "0201234567@other"), "only the listed trunks");
    }

    @Test
    void callsFromATrunkOrAnInboundContextAreInbound() {
        assertTrue(listed.isInbound("PJSIP/provider-0000002c", "from-phones"));
        assertTrue(listed.isInbound("PJSIP/1001-0000002c", "from-provider"));
        assertFalse(listed.isInbound("PJSIP/1001-0000002c", "from-phones"));
        assertTrue(byDialString.isInbound("PJSIP/carrier-00000001", "from-trunk"), "FreePBX's inbound context");
    }

    @Test
    void dialApplicationDataOfALiveCallTellsATrunkLeg() {
        assertTrue(byDialString.dialsTrunk("PJSIP/0201234567@provider"));
        assertTrue(byDialString.dialsTrunk("PJSIP/1002&PJSIP/0612345678@provider,30,tT"));
        assertFalse(byDialString.dialsTrunk("PJSIP/1002,30"));
        assertFalse(byDialString.dialsTrunk("Local/0201234567@fake-provider"));
        assertFalse(byDialString.dialsTrunk(null));
    }
}
