package org.tollguard.blacklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

/** The plain-list parser, the address parser and the sanity rules. */
class ListParsingTest {
    static final String OWN = "198.51.100.1";
    static final String ALLOWED = "203.0.113.0/28";

    static ListSanity sanity(BlacklistConfig.Sanity config) {
        return new ListSanity(config, List.of(IpAddresses.parse(OWN)), List.of(Cidr.parse(ALLOWED)));
    }

    static Intake intake() {
        return new Intake(sanity(BlacklistConfig.Sanity.defaults()), 1_000_000, 1_000_000);
    }

    static NetList plain(Intake intake, String text) throws Exception {
        PlainListParser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), intake, SyncProgress.none());
        return intake.build();
    }

    @Test
    void addressParser() {
        NetParser p = new NetParser();
        for (String good : List.of("1.2.3.4", "255.255.255.255", "0.0.0.0/0", "10.0.0.0/8", "2001:db8::/32", "::1",
                "203.0.113.77/24")) {
            assertTrue(p.parse(good, 0, good.length()), good);
        }
        assertTrue(p.parse("203.0.113.77/24", 0, 15));
        assertEquals("203.0.113.0/24", p.toNet().toString(), "host bits cleared");
        for (String bad : List.of("", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/",
                "1.2.3.4/a", "1..2.3", "host.example.org", "2001:db8::/129", "2001:zz::1", "1.2.3.4/1/2", "<html>",
                "1.2.3.4a", "-1.2.3.4")) {
            assertFalse(p.parse(bad, 0, bad.length()), bad);
        }
    }

    @Test
    void plainListWithCommentsAndCidrs() throws Exception {
        Intake intake = intake();
        NetList l = plain(intake, """
                # VoIPBL-style list
                ; generated 2025-01-01
                // another comment style

                1.2.3.4
                5.6.7.0/24 ; SBL123
                  9.9.9.9   # trailing comment
                2001:db8:5::/48
                8.8.8.8\tsome words after a tab
                1.2.3.4
                11.12.13.14,comma
                """);
        assertEquals(List.of("1.2.3.4", "5.6.7.0/24", "8.8.8.8", "9.9.9.9", "11.12.13.14", "2001:db8:5::/48"),
                NetListTest.texts(l));
        assertEquals(1, intake.drops().get(ListSanity.DUPLICATE));
        assertEquals(0, intake.drops().total());
    }

    @Test
    void theHostileListIsFilteredAndCounted() throws Exception {
        Intake intake = intake();
        NetList l = plain(intake, """
                0.0.0.0/0
                127.0.0.1
                198.51.100.1
                198.51.100.0/24
                203.0.113.5
                203.0.113.0/24
                10.1.2.3
                192.168.0.0/16
                169.254.1.1
                fe80::1
                fd00::1
                224.0.0.1
                240.0.0.1
                ::1
                1.0.0.0/15
                2001:db8::/31
                this is garbage
                1.2.3.4.5
                1.2.3.999
                <html>
                4.4.4.4
                2001:db8:1::/32
                """);
        assertEquals(List.of("4.4.4.4", "2001:db8::/32"), NetListTest.texts(l));
        ListSanity.Drops d = intake.drops();
        assertEquals(3, d.get(ListSanity.TOO_WIDE), d.toString());
        assertEquals(2, d.get(ListSanity.LOOPBACK), d.toString());
        assertEquals(2, d.get(ListSanity.OWN_ADDRESS), d.toString());
        assertEquals(2, d.get(ListSanity.ALLOWLIST), d.toString());
        assertEquals(3, d.get(ListSanity.PRIVATE), d.toString());
        assertEquals(2, d.get(ListSanity.LINK_LOCAL), d.toString());
        assertEquals(1, d.get(ListSanity.MULTICAST), d.toString());
        assertEquals(1, d.get(ListSanity.RESERVED), d.toString());
        assertEquals(4, d.get(ListSanity.MALFORMED), d.toString());
        assertEquals(20, d.total());
    }

    @Test
    void privateNetworksWhenAllowed() throws Exception {
        Intake intake = new Intake(sanity(new BlacklistConfig.Sanity(24, 64, true, null)), 100, 0);
        NetList l = plain(intake, "10.1.2.3\n192.168.0.0/24\nfe80::1\n127.0.0.1\n5.5.0.0/16\n2001:db8::/48\n");
        assertEquals(List.of("10.1.2.3", "192.168.0.0/24", "fe80::1"), NetListTest.texts(l));
        assertEquals(1, intake.drops().get(ListSanity.LOOPBACK));
        assertEquals(2, intake.drops().get(ListSanity.TOO_WIDE), "/16 is wider than /24, /48 wider than /64");
    }

    @Test
    void aBodyThatIsMostlyNotAddressesIsNotAList() {
        Intake intake = intake();
        ListException e = assertThrows(ListException.class, () -> plain(intake,
                "<html>\n<head><title>Login</title></head>\n<body>please log in</body>\n1.2.3.4\n</html>\n"));
        assertTrue(e.getMessage().startsWith("not a list"), e.getMessage());
    }

    @Test
    void aListLargerThanTheSetsIsRefused() {
        Intake intake = new Intake(sanity(BlacklistConfig.Sanity.defaults()), 2, 0);
        ListException e = assertThrows(ListException.class, () -> plain(intake, "1.1.1.1\n2.2.2.2\n3.3.3.3\n"));
        assertTrue(e.getMessage().contains("more than 2 entries"), e.getMessage());
    }

    @Test
    void shrinkRule() {
        ListSanity s = sanity(BlacklistConfig.Sanity.defaults());
        assertNull(s.shrinkRefusal(0, 0));
        assertNull(s.shrinkRefusal(1000, 500));
        assertNull(s.shrinkRefusal(1000, 5000));
        String refusal = s.shrinkRefusal(1000, 100);
        assertTrue(refusal.contains("shrank by 90%"), refusal);
        assertNull(sanity(new BlacklistConfig.Sanity(null, null, null, 1.0)).shrinkRefusal(1000, 0));
    }

    @Test
    void parsesFourHundredThousandLinesQuickly() throws Exception {
        StringBuilder sb = new StringBuilder(400_000 * 16);
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 400_000; i++) {
            sb.append(1 + r.nextInt(222)).append('.').append(r.nextInt(256)).append('.').append(r.nextInt(256))
                    .append('.').append(r.nextInt(256)).append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        long best = Long.MAX_VALUE;
        NetList l = null;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            Intake intake = intake();
            l = plain(intake, new String(body, StandardCharsets.US_ASCII));
            best = Math.min(best, System.nanoTime() - start);
        }
        assertTrue(l.size() > 390_000, "size " + l.size());
        System.out.println("parse of 400k lines: best " + best / 1_000_000 + " ms");
        assertTrue(best < 2_000_000_000L, "parse took " + best / 1_000_000 + " ms");
    }
}
