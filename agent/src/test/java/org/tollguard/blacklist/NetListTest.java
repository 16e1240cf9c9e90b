package org.tollguard.blacklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

class NetListTest {

    static NetList list(String... networks) {
        return NetList.of(List.of(networks).stream().map(Cidr::parse).toList());
    }

    static List<String> texts(NetList l) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(l.text(i));
        }
        return out;
    }

    @Test
    void sortsIpv4FirstAndMergesDuplicates() {
        NetList l = list("2001:db8::1", "203.0.113.9", "198.51.100.0/24", "203.0.113.9", "1.2.3.4", "2001:db8::/32",
                "198.51.100.7/24");
        assertEquals(List.of("1.2.3.4", "198.51.100.0/24", "203.0.113.9", "2001:db8::/32", "2001:db8::1"), texts(l));
        assertEquals(3, l.ipv4Count());
        assertEquals(2, l.ipv6Count());
        assertTrue(l.contains(Cidr.parse("198.51.100.0/24")));
        assertFalse(l.contains(Cidr.parse("198.51.100.1")));
        assertTrue(l.matches(IpAddresses.parse("198.51.100.200")));
        assertTrue(l.matches(IpAddresses.parse("2001:db8:1::5")));
        assertFalse(l.matches(IpAddresses.parse("203.0.113.10")));
    }

    @Test
    void highAddressesSortUnsigned() {
        NetList l = list("223.255.255.1", "1.0.0.1", "128.0.0.1");
        assertEquals(List.of("1.0.0.1", "128.0.0.1", "223.255.255.1"), texts(l));
        NetList v6 = list("ffff::1", "2001:db8::1", "8000::1");
        assertEquals(List.of("2001:db8::1", "8000::1", "ffff::1"), texts(v6));
    }

    @Test
    void diffAndApplyAreInverse() {
        NetList a = list("1.1.1.1", "2.2.2.0/24", "2001:db8::1");
        NetList b = list("1.1.1.1", "3.3.3.3", "2001:db8::2");
        NetList.Diff d = NetList.diff(a, b);
        assertEquals(List.of("3.3.3.3", "2001:db8::2"), texts(d.added()));
        assertEquals(List.of("2.2.2.0/24", "2001:db8::1"), texts(d.removed()));
        List<NetList.Change> changes = new ArrayList<>();
        for (int i = 0; i < d.removed().size(); i++) {
            changes.add(new NetList.Change(false, d.removed().net(i), 0, null));
        }
        for (int i = 0; i < d.added().size(); i++) {
            changes.add(new NetList.Change(true, d.added().net(i), 0, null));
        }
        assertEquals(b, a.apply(changes));
        assertTrue(NetList.diff(b, b).isEmpty());
    }

    @Test
    void theLastChangeOfANetworkWins() {
        Net n = Net.of(Cidr.parse("5.5.5.5"));
        NetList l = list("1.1.1.1").apply(List.of(new NetList.Change(true, n, 0, "scan"),
                new NetList.Change(false, n, 0, null), new NetList.Change(true, n, 99, "fraud")));
        assertEquals(List.of("1.1.1.1", "5.5.5.5"), texts(l));
        assertEquals("fraud", l.reason(1));
        assertEquals(99, l.expires(1));
    }

    @Test
    void expiry() {
        NetList.Builder b = NetList.builder();
        b.add(Net.of(Cidr.parse("1.1.1.1")), 100, "a");
        b.add(Net.of(Cidr.parse("2.2.2.2")), 0, null);
        b.add(Net.of(Cidr.parse("3.3.3.3")), 200, "b");
        NetList l = b.build();
        assertEquals(100, l.nextExpiry());
        assertSame(l, l.withoutExpired(99));
        assertEquals(List.of("2.2.2.2", "3.3.3.3"), texts(l.withoutExpired(100)));
        assertEquals(0, l.withoutExpired(500).nextExpiry());
    }

    @Test
    void aDuplicateKeepsTheLongerLife() {
        NetList.Builder b = NetList.builder();
        Net n = Net.of(Cidr.parse("1.1.1.1"));
        b.add(n, 100, null).add(n, 300, "x").add(n, 200, null);
        NetList l = b.build();
        assertEquals(1, l.size());
        assertEquals(300, l.expires(0));
        assertEquals(2, b.duplicates());
        NetList.Builder permanent = NetList.builder();
        permanent.add(n, 100, null).add(n, 0, null);
        assertEquals(0, permanent.build().expires(0));
    }

    @Test
    void storesAndReadsBack() throws Exception {
        NetList.Builder b = NetList.builder();
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            b.add(false, 0, random.nextInt() & 0xFFFF_FFFFL, 32, i % 3 == 0 ? 1_900_000_000L + i : 0,
                    i % 5 == 0 ? "reason-" + (i % 7) : null);
        }
        b.add(Net.of(Cidr.parse("2001:db8::/48")), 0, null);
        NetList l = b.build();
        byte[] bytes = l.toBytes();
        NetList back = NetList.fromBytes(bytes);
        assertEquals(l, back);
        for (int i = 0; i < l.size(); i += 997) {
            assertEquals(l.expires(i), back.expires(i));
            assertEquals(l.reason(i), back.reason(i));
        }
        assertTrue(bytes.length < l.size() * 12, "compact: " + bytes.length + " bytes");
        assertEquals(NetList.empty(), NetList.fromBytes(NetList.empty().toBytes()));
        assertNull(NetList.empty().asCidrs().stream().findFirst().orElse(null));
    }

    @Test
    void cidrViewIteratesWithoutCopying() {
        NetList l = list("1.2.3.0/24", "2001:db8::1");
        assertEquals(List.of(Cidr.parse("1.2.3.0/24"), Cidr.parse("2001:db8::1")), new ArrayList<>(l.asCidrs()));
        assertEquals(2, l.asCidrs().size());
    }
}
