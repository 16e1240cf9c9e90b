package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tollguard.net.Cidr;

class LogOnlyListTest {
    @Test
    void recordsListSizesOnly() throws Exception {
        LogOnlyFirewall firewall = new LogOnlyFirewall();
        assertEquals(-1, firewall.listSize("hub"));
        assertThrows(FirewallException.class, () -> firewall.updateList("hub", List.of(), List.of()));
        firewall.replaceList("hub", List.of(Cidr.parse("203.0.113.1"), Cidr.parse("2001:db8::/48")));
        assertEquals(2, firewall.listSize("hub"));
        firewall.updateList("hub", List.of(Cidr.parse("203.0.113.2"), Cidr.parse("203.0.113.3")),
                List.of(Cidr.parse("203.0.113.1")));
        assertEquals(3, firewall.listSize("hub"));
        assertEquals(Set.of("hub"), firewall.listNames());
        firewall.removeList("hub");
        assertEquals(Set.of(), firewall.listNames());
        assertThrows(IllegalArgumentException.class, () -> firewall.replaceList("Bad Name", List.of()));
    }
}
