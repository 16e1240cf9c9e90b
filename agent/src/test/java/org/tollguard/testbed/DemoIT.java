package org.tollguard.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's main-job command, shortened: it must keep telling its story. */
class DemoIT {
    @BeforeAll
    static void up() {
        Testbed.up();
    }

    @Test
    void demoTellsTheWholeStory() {
        Testbed.Result r = Testbed.run(600, "env", "DEMO_SHORT=1", Testbed.root().resolve("tollguard").toString(), "demo");
        String out = r.output();
        assertEquals(0, r.exit(), out);
        assertTrue(out.contains("registered: 200 OK"), out);
        assertTrue(out.contains("call to 0201234567 (national-geographic): connected"), out);
        assertTrue(out.contains("kind=ban-address target=203.0.113.66"), out);
        assertTrue(out.contains("203.0.113.66 timeout"), "kernel entry shown: " + out);
        assertTrue(out.contains("attacker 203.0.113.66 -> PBX: no answer"), out);
        assertTrue(out.contains("phone 198.51.100.20 re-registers: 200 OK"), out);
        assertTrue(out.contains("09061234567: refused before dialling"), out);
        assertTrue(out.contains("+88213456789: refused before dialling"), out);
        assertTrue(out.contains("kind=block-account") || out.contains("blocked: reason=\"spend IDS: 1001"), out);
        assertTrue(out.contains("calls cut: 10"), "all ten hijacked calls cut: " + out);
        assertTrue(out.contains("a new call from 1001: refused (account blocked)"), out);
        assertTrue(out.contains("listed 203.0.113.70 -> PBX (never attacked here): no answer"), out);
        assertTrue(out.contains("Community lists") && out.contains("202 entries"), out);
        assertTrue(Testbed.cli("core show uptime").exit() == 0, "the demo leaves a running testbed running");
    }
}
