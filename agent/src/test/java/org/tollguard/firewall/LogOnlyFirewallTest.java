package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tollguard.config.FirewallConfig;
import org.tollguard.net.IpAddresses;

class LogOnlyFirewallTest {
    private final MutableClock clock = new MutableClock();
    private final LogOnlyFirewall firewall = new LogOnlyFirewall(clock);

    @Test
    void factoryBuildsIt() {
        Firewall created = Firewalls.create(new FirewallConfig(FirewallConfig.Backend.LOG, null, null, null));
        assertEquals("log", created.name());
    }

    @Test
    void recordsBansUntilTheyExpire() throws FirewallException {
        firewall.setUp();
        firewall.ban(ip("198.51.100.7"), Duration.ofSeconds(60));
        firewall.ban(ip("2001:DB8:0:0:0:0:0:7"), null);
        firewall.ban(ip("203.0.113.9"), Duration.ofMillis(1500));
        assertEquals(Set.of("198.51.100.7", "2001:db8::7", "203.0.113.9"), firewall.listBanned());

        clock.advance(Duration.ofSeconds(2)); // 1.5 s rounds up to 2 s
        assertEquals(Set.of("198.51.100.7", "2001:db8::7"), firewall.listBanned());
        clock.advance(Duration.ofSeconds(58));
        assertEquals(Set.of("2001:db8::7"), firewall.listBanned());
    }

    @Test
    void reBanRefreshesTheTimeout() throws FirewallException {
        firewall.ban(ip("198.51.100.7"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        firewall.ban(ip("198.51.100.7"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        assertEquals(Set.of("198.51.100.7"), firewall.listBanned());
    }

    @Test
    void unbanAndTearDown() throws FirewallException {
        firewall.unban(ip("198.51.100.8")); // not banned: no error
        firewall.ban(ip("198.51.100.7"), null);
        firewall.ban(ip("198.51.100.8"), null);
        firewall.unban(ip("198.51.100.7"));
        assertEquals(Set.of("198.51.100.8"), firewall.listBanned());
        firewall.tearDown();
        assertEquals(Set.of(), firewall.listBanned());
    }

    @Test
    void refusesAddressesThatAreNeverBanned() {
        for (String address : new String[] {"127.0.0.1", "::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1"}) {
            FirewallException e = assertThrows(FirewallException.class, () -> firewall.ban(ip(address), null));
            assertTrue(e.getMessage().startsWith("refusing to ban " + address), e.getMessage());
        }
    }

    @Test
    void rejectsTimeoutsThatAreNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> firewall.ban(ip("198.51.100.7"), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> firewall.ban(ip("198.51.100.7"), Duration.ofSeconds(-1)));
    }

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
