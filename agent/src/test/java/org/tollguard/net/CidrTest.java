package org.tollguard.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7, 32",
            "203.0.113.7/32, 203.0.113.7, 32",
            "203.0.113.7/24, 203.0.113.0/24, 24",
            "10.255.1.2/8, 10.0.0.0/8, 8",
            "198.51.100.200/25, 198.51.100.128/25, 25",
            "198.51.100.255/31, 198.51.100.254/31, 31",
            "1.2.3.4/0, 0.0.0.0/0, 0",
            "2001:db8::1, 2001:db8::1, 128",
            "2001:DB8::1/128, 2001:db8::1, 128",
            "2001:db8:abcd:12::1/32, 2001:db8::/32, 32",
            "2001:db8:ffff:ffff::/33, 2001:db8:8000::/33, 33",
            "2001:db8::1/127, 2001:db8::/127, 127",
            "::/0, ::/0, 0",
            "' 10.1.2.3/16 ', 10.1.0.0/16, 16",
    })
    void parsesAndMasksHostBits(String text, String canonical, int prefix) {
        Cidr c = Cidr.parse(text);
        assertEquals(canonical, c.toString());
        assertEquals(prefix, c.prefixLength());
        assertEquals(c, Cidr.parse(canonical));
    }

    @ParameterizedTest
    @CsvSource({
            "::ffff:198.51.100.7, 198.51.100.7",
            "::ffff:198.51.100.7/128, 198.51.100.7",
            "::ffff:198.51.100.7/120, 198.51.100.0/24",
            "::ffff:0.0.0.0/96, 0.0.0.0/0",
    })
    void ipv4MappedNetworksBecomeIpv4WithTheirIpv6PrefixLength(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
        assertFalse(Cidr.parse(text).isIpv6());
    }

    @Test
    void ipv4MappedPrefixShorterThan96IsRefused() {
        // ::ffff:198.51.100.0/24 is the IPv6 network ::/24, not the IPv4 /24 it looks like (it used to be read as one)
        assertEquals("'::ffff:198.51.100.0/24': an IPv4-mapped network needs a prefix length of at least 96"
                        + " (write it as IPv4: ::ffff:a.b.c.d/120 is a.b.c.d/24)",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:198.51.100.0/24")).getMessage());
        assertEquals("'::ffff:1.2.3.4/129': prefix length 129 is larger than 128",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:1.2.3.4/129")).getMessage());
    }

    @Test
    void contains() {
        Cidr v4 = Cidr.parse("198.51.100.0/24");
        assertTrue(v4.contains(ip("198.51.100.0")));
        assertTrue(v4.contains(ip("198.51.100.255")));
        assertFalse(v4.contains(ip("198.51.101.0")));
        assertFalse(v4.contains(ip("198.51.99.255")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.7")));
        assertTrue(Cidr.parse("203.0.113.7").contains(ip("203.0.113.7")));
        assertFalse(Cidr.parse("203.0.113.7").contains(ip("203.0.113.6")));

        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertTrue(v6.contains(ip("2001:db8:ffff::1")));
        assertFalse(v6.contains(ip("2001:db9::1")));
        assertTrue(Cidr.parse("2001:db8::/33").contains(ip("2001:db8:7fff::")));
        assertFalse(Cidr.parse("2001:db8::/33").contains(ip("2001:db8:8000::")));
    }

    @Test
    void containsIsFalseAcrossFamilies() {
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1")));
        assertFalse(Cidr.parse("::/0").contains(ip("203.0.113.7")));
        assertFalse(Cidr.parse("::/96").contains(ip("0.0.0.1")));
        assertFalse(Cidr.parse("::1").contains(ip("127.0.0.1")));
    }

    @Test
    void containsAnIpv4MappedSourceAsIpv4() {
        // a dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the allowlist written in IPv4 must match them
        assertTrue(Cidr.parse("198.51.100.0/24").contains(ip("::ffff:198.51.100.7")));
        assertTrue(Cidr.parse("::ffff:198.51.100.0/120").contains(ip("198.51.100.7")));
    }

    @Test
    void singleAddressAndFamily() {
        assertTrue(Cidr.parse("203.0.113.7").isSingleAddress());
        assertFalse(Cidr.parse("203.0.113.7/31").isSingleAddress());
        assertTrue(Cidr.parse("2001:db8::1/128").isSingleAddress());
        assertTrue(Cidr.parse("2001:db8::1").isIpv6());
        assertFalse(Cidr.parse("203.0.113.7").isIpv6());
        assertEquals(Cidr.parse("203.0.113.7"), Cidr.of(ip("203.0.113.7")));
        assertEquals(Cidr.parse("2001:db8::1"), Cidr.of(ip("2001:db8::1")));
    }

    @Test
    void equalityIgnoresHostBits() {
        assertEquals(Cidr.parse("10.1.2.3/8"), Cidr.parse("10.9.9.9/8"));
        assertEquals(Cidr.parse("10.1.2.3/8").hashCode(), Cidr.parse("10.9.9.9/8").hashCode());
        assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/9"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1.2.3.4/33 | '1.2.3.4/33': prefix length 33 is larger than 32",
            "::1/129 | '::1/129': prefix length 129 is larger than 128",
            "1.2.3.4/ | '1.2.3.4/' has no valid prefix length",
            "1.2.3.4/-1 | '1.2.3.4/-1' has no valid prefix length",
            "1.2.3.4/8x | '1.2.3.4/8x' has no valid prefix length",
            "1.2.3.4/1000 | '1.2.3.4/1000' has no valid prefix length",
            "1.2.3.4/24/8 | '1.2.3.4/24/8' has no valid prefix length",
            "1.2.3.4/ 24 | '1.2.3.4/ 24' has no valid prefix length",
            "localhost | 'localhost' is not an IP address",
            "example.com/24 | 'example.com' is not an IP address",
            "01.2.3.4/8 | '01.2.3.4' is not an IP address",
            "garbage | 'garbage' is not an IP address",
            "/24 | '' is not an IP address",
    })
    void rejects(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)).getMessage());
    }

    @Test
    void rejectsEmpty() {
        assertEquals("empty network", assertThrows(IllegalArgumentException.class, () -> Cidr.parse(null)).getMessage());
        assertEquals("empty network", assertThrows(IllegalArgumentException.class, () -> Cidr.parse("  ")).getMessage());
    }

    @Test
    void constructorChecksPrefixLength() {
        assertEquals("prefix length 33 is outside 0..32",
                assertThrows(IllegalArgumentException.class, () -> new Cidr(ip("1.2.3.4"), 33)).getMessage());
        assertEquals("prefix length -1 is outside 0..128",
                assertThrows(IllegalArgumentException.class, () -> new Cidr(ip("::1"), -1)).getMessage());
        assertEquals("10.0.0.0/8", new Cidr(ip("10.1.2.3"), 8).toString());
    }
}
