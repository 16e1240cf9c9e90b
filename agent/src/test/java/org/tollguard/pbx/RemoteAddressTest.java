package org.tollguard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollguard.net.IpAddresses;

class RemoteAddressTest {

    @ParameterizedTest
    @CsvSource({
            "IPV4/UDP/203.0.113.7/5060, 203.0.113.7, UDP, 5060",
            "IPV6/UDP/2001:db8::1/5060, 2001:db8::1, UDP, 5060",
            "IPV6/TCP/[2001:db8::1]/5061, 2001:db8::1, TCP, 5061",
            "IPV4/TLS/198.51.100.2/65535, 198.51.100.2, TLS, 65535",
            "IPV4/WSS/198.51.100.2/0, 198.51.100.2, WSS, 0",
            "ipv4/udp/203.0.113.7/5060, 203.0.113.7, UDP, 5060",
            "' IPV4/UDP/203.0.113.7/5060 ', 203.0.113.7, UDP, 5060",
            "IPV6/UDP/2001:DB8:0:0:0:0:0:1/5060, 2001:db8::1, UDP, 5060",
            // an IPv4 peer on a dual-stack listener: Asterisk says IPV6, the source is IPv4
            "IPV6/UDP/::ffff:203.0.113.7/5060, 203.0.113.7, UDP, 5060",
            "IPV6/TCP/[::ffff:203.0.113.7]/5061, 203.0.113.7, TCP, 5061",
    })
    void parses(String text, String address, String transport, int port) {
        RemoteAddress r = RemoteAddress.parseAsterisk(text);
        assertEquals(IpAddresses.parse(address), r.address());
        assertEquals(address, IpAddresses.format(r.address()));
        assertEquals(transport, r.transport());
        assertEquals(port, r.port());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "IPV4/UDP/2001:db8::1/5060 | RemoteAddress 'IPV4/UDP/2001:db8::1/5060': address does not match family IPV4",
            "IPV6/UDP/203.0.113.7/5060 | RemoteAddress 'IPV6/UDP/203.0.113.7/5060': address does not match family IPV6",
            "IPV4/UDP/::ffff:203.0.113.7/5060 | RemoteAddress 'IPV4/UDP/::ffff:203.0.113.7/5060': address does not match family IPV4",
            "IPV4/UDP/203.0.113.7 | RemoteAddress 'IPV4/UDP/203.0.113.7' is not FAMILY/TRANSPORT/ADDRESS/PORT",
            "203.0.113.7:5060 | RemoteAddress '203.0.113.7:5060' is not FAMILY/TRANSPORT/ADDRESS/PORT",
            "IPV4/UDP/203.0.113.7/5060/x | RemoteAddress 'IPV4/UDP/203.0.113.7/5060/x' is not FAMILY/TRANSPORT/ADDRESS/PORT",
            "IPX/UDP/203.0.113.7/5060 | RemoteAddress 'IPX/UDP/203.0.113.7/5060' has unknown family 'IPX' (expected IPV4 or IPV6)",
            "/UDP/203.0.113.7/5060 | RemoteAddress '/UDP/203.0.113.7/5060' has unknown family '' (expected IPV4 or IPV6)",
            "IPV4/UDP/203.0.113.7/abc | RemoteAddress 'IPV4/UDP/203.0.113.7/abc' has no valid port",
            "IPV4/UDP/203.0.113.7/ | RemoteAddress 'IPV4/UDP/203.0.113.7/' has no valid port",
            "IPV4/UDP/203.0.113.7/+5060 | RemoteAddress 'IPV4/UDP/203.0.113.7/+5060' has no valid port",
            "IPV4/UDP/203.0.113.7/-1 | RemoteAddress 'IPV4/UDP/203.0.113.7/-1' has no valid port",
            "IPV4/UDP/203.0.113.7/ 5060 | RemoteAddress 'IPV4/UDP/203.0.113.7/ 5060' has no valid port",
            "IPV4/UDP/203.0.113.7/99999999999 | RemoteAddress 'IPV4/UDP/203.0.113.7/99999999999' has no valid port",
            "IPV4/UDP/203.0.113.7/70000 | RemoteAddress 'IPV4/UDP/203.0.113.7/70000' has port out of range",
            "IPV4/UDP/pbx.example.com/5060 | RemoteAddress 'IPV4/UDP/pbx.example.com/5060' has no valid address: 'pbx.example.com' is not an IP address",
            "IPV4/UDP/localhost/5060 | RemoteAddress 'IPV4/UDP/localhost/5060' has no valid address: 'localhost' is not an IP address",
            "IPV4/UDP//5060 | RemoteAddress 'IPV4/UDP//5060' has no valid address: '' is not an IP address",
            "IPV4/UDP/01.2.3.4/5060 | RemoteAddress 'IPV4/UDP/01.2.3.4/5060' has no valid address: '01.2.3.4' is not an IP address",
            "IPV6/UDP/[2001:db8::1/5060 | RemoteAddress 'IPV6/UDP/[2001:db8::1/5060' has no valid address: '[2001:db8::1' is not an IP address",
    })
    void rejectsWithAClearMessage(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> RemoteAddress.parseAsterisk(text)).getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        for (String text : new String[] {null, "", "   "}) {
            assertEquals("no RemoteAddress",
                    assertThrows(IllegalArgumentException.class, () -> RemoteAddress.parseAsterisk(text)).getMessage());
        }
    }
}
