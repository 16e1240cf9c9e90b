package org.tollguard.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

    private static Alert alert(Severity s, String kind, String target, int second) {
        return new Alert(s, kind, target, target + " " + kind, Map.of("rule", "fast"), T0.plusSeconds(second));
    }

    @Test
    void countsStayExactWhileMemoryStaysBounded() {
        Digest d = new Digest(0, 5);
        for (int i = 0; i < 25_000; i++) {
            d.add(alert(Severity.WARNING, "ban-address", "2001:db8::" + Integer.toHexString(i), i % 60));
        }
        for (int i = 0; i < 7; i++) {
            d.add(alert(Severity.WARNING, "ban-address", "203.0.113.5", 1));
        }
        d.add(alert(Severity.CRITICAL, "block-account", "4711", 30));
        DigestMessage m = d.close("pbx1", 3, T0);
        assertEquals(25_008, m.total());
        assertEquals(Map.of("ban-address", 25_007L, "block-account", 1L), m.counts());
        assertEquals(List.of(Severity.WARNING, Severity.CRITICAL), List.copyOf(m.severities().keySet()));
        assertEquals(Severity.CRITICAL, m.highest());
        assertEquals(5, m.details().size());
        assertEquals(25_003, m.omitted());
        assertEquals(new DigestMessage.TargetCount("203.0.113.5", 7), m.topTargets().get(0));
        assertEquals(3, m.topTargets().size());
        assertEquals(T0, m.from());
        assertEquals(T0.plusSeconds(59), m.to());
        assertEquals("25007 ban-address, 1 block-account", m.headline());
        assertEquals("[tollguard] pbx1: CRITICAL 25007 ban-address, 1 block-account", m.subject("[tollguard]"));

        String text = m.text();
        assertTrue(text.startsWith("tollguard on pbx1: 25008 alerts from 2026-11-22T10:00:00Z to 2026-11-22T10:00:59Z"
                + " (highest severity: critical)"), text);
        assertTrue(text.contains("First 5 of 25008:"), text);
        assertTrue(text.contains("...and 25003 more"), text);
        assertFalse(text.contains(".123456"), "times to the second for people");
    }

    @Test
    void anUndeliveredMessageIsFoldedInAheadOfNewerAlerts() {
        Digest old = new Digest(0, 3);
        old.add(alert(Severity.WARNING, "ban-address", "198.51.100.1", 0));
        old.add(alert(Severity.WARNING, "ban-address", "198.51.100.2", 1));
        old.addDropped(4);
        DigestMessage undelivered = old.close("pbx1", 10, T0);

        Digest next = new Digest(0, 3);
        next.add(alert(Severity.CRITICAL, "block-account", "4711", 5));
        next.add(alert(Severity.WARNING, "ban-address", "198.51.100.1", 6));
        next.absorb(undelivered);
        DigestMessage m = next.close("pbx1", 10, T0);
        assertEquals(4, m.total());
        assertEquals(4, m.dropped());
        assertEquals(List.of("ban-address", "block-account"), List.copyOf(m.counts().keySet()), "older kinds first");
        assertEquals(3L, m.counts().get("ban-address"));
        assertEquals(List.of("198.51.100.1", "198.51.100.2", "4711"), m.details().stream().map(Alert::target).toList());
        assertEquals(new DigestMessage.TargetCount("198.51.100.1", 2), m.topTargets().get(0));
        assertEquals("3 ban-address, 1 block-account, 4 lost (queue full)", m.headline());
    }

    @Test
    void theHourlyCapSlides() {
        RateLimit r = new RateLimit(2);
        assertTrue(r.tryAcquire(0));
        assertTrue(r.tryAcquire(1000));
        assertFalse(r.tryAcquire(2000));
        assertEquals(3_600_000, r.nextSlot(2000));
        assertTrue(r.tryAcquire(3_600_000));
        assertFalse(r.tryAcquire(3_600_500));
        assertTrue(r.tryAcquire(3_601_000));
    }
}
