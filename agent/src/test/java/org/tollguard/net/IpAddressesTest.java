package org.tollguard.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @Test
    void parsesIpv4() {
        InetAddress a = IpAddresses.parse("203.0.113.7");
        assertInstanceOf(Inet4Address.class, a);
        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 7}, a.getAddress());
        assertEquals("203.0.113.7", IpAddresses.format(IpAddresses.parse(" 203.0.113.7\n")));
        assertEquals("0.0.0.0", IpAddresses.format(IpAddresses.parse("0.0.0.0")));
        assertEquals("255.255.255.255", IpAddresses.format(IpAddresses.parse("255.255.255.255")));
    }

    @Test
    void parsesIpv6() {
        InetAddress a = IpAddresses.parse("2001:DB8::1");
        assertInstanceOf(Inet6Address.class, a);
        assertArrayEquals(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, a.getAddress());
    }

    @Test
    void ipv4MappedIpv6IsReadAsIpv4() {
        InetAddress a = IpAddresses.parse("::ffff:198.51.100.7");
        assertInstanceOf(Inet4Address.class, a);
        assertEquals("198.51.100.7", IpAddresses.format(a));
        assertEquals(a, IpAddresses.parse("::FFFF:c633:6407"));
    }

    @ParameterizedTest
    @CsvSource({
            "2001:db8:0:0:0:0:0:1, 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",     // longest run wins
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "1:0:0:0:2:0:0:3, 1::2:0:0:3",
            "1:0:0:2:2:0:0:3, 1::2:2:0:0:3",         // equal runs: the first is compressed
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // a single zero group is not compressed
            "1:0:1:1:1:1:1:0, 1:0:1:1:1:1:1:0",
            "0:0:0:0:0:0:0:0, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "1:0:0:0:0:0:0:0, 1::",
            "0:0:0:0:0:0:1:0, ::1:0",
            "0:1:0:0:0:0:0:0, 0:1::",
            "FE80:0:0:0:ABCD:0:0:1, fe80::abcd:0:0:1",
            "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
            "::1.2.3.4, ::102:304",
    })
    void formatsIpv6ByRfc5952(String in, String canonical) {
        assertEquals(canonical, IpAddresses.format(IpAddresses.parse(in)));
        assertEquals(IpAddresses.parse(in), IpAddresses.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "localhost", "example.com", "pbx", "a.b.c.d", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4",
            "01.2.3.4", "1.2.3.04", "1.02.3.4", "00.0.0.0", "0x7f.0.0.1", "2130706433", "127.1",
            "::ffff:01.2.3.4", "::ffff:1.2.3.256", "::ffff:1.2.3",
            "1:2:3:4:5:6:7:8:9", "12345::", "2001:db8::1::2", ":::", "2001:db8:::1", "gggg::", "[::1]",
            "fe80::1%eth0", "fe80::1%1", "1.2.3.4/32", "1.2.3.4:5060", "", " ", "\t", "-", "1..2.3",
    })
    void rejectsAnythingButALiteralAddress(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(text));
        assertEquals("'" + text + "' is not an IP address", e.getMessage());
        assertNull(IpAddresses.tryParse(text));
    }

    @Test
    void rejectsNull() {
        assertEquals("no address", assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(null)).getMessage());
        assertNull(IpAddresses.tryParse(null));
    }

    @Test
    void neverResolvesNames() {
        // a name that would take a resolver timeout to fail (.invalid never resolves): refused at once, no lookup
        assertTimeoutPreemptively(Duration.ofMillis(500), () -> {
            for (int i = 0; i < 50; i++) {
                assertNull(IpAddresses.tryParse("host" + i + ".tollguard-test.invalid"));
            }
        });
    }

    @Test
    void fromBytes() {
        assertEquals("10.0.0.1", IpAddresses.format(IpAddresses.fromBytes(new byte[] {10, 0, 0, 1})));
        assertEquals("::1", IpAddresses.format(IpAddresses.fromBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})));
        assertEquals("bad address length 5",
                assertThrows(IllegalArgumentException.class, () -> IpAddresses.fromBytes(new byte[5])).getMessage());
    }
}
