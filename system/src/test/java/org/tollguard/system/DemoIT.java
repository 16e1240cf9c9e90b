package org.tollguard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.testbed.Testbed;

/**
 * The README's main-job command, shortened: it must keep telling its story, with the hub's loop over the testbed's
 * two PBXs. Here rather than in the agent module because the demo runs the hub too, which the reactor builds after
 * the agent.
 */
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

        // the hub's loop: reported by A, not yet listed, approved, in B's kernel set, dropped at B
        assertTrue(out.contains("203.0.113.66 reported to the hub by pbx-a"), out);
        assertTrue(out.contains("attacker 203.0.113.66 -> PBX B: SIP/2.0"), "B answers before the approval: " + out);
        assertTrue(out.contains("203.0.113.66 approved by operator:"), out);
        assertTrue(out.matches("(?s).*took the signed list: in B's kernel set \\d+\\.\\d s after the approval.*"), out);
        assertTrue(out.contains("attacker 203.0.113.66 -> PBX B (never attacked there): no answer"), out);
        assertTrue(out.contains("a phone (198.51.100.21) registers at B: 200 OK"), out);
        assertTrue(out.contains("listed 203.0.113.70 -> PBX (never attacked here): no answer"), out);
        assertTrue(out.contains("Community lists") && out.contains("2 entries"), out);
        assertTrue(out.contains("open http://127.0.0.1:8463/portal and log in as reseller / tollguard-demo"), out);
        assertTrue(out.matches("(?s).*pbx-a\\s+\\| Demo Telecom.*") && out.matches("(?s).*pbx-b\\s+\\| Demo Telecom.*"),
                "both sites' heartbeats at the hub: " + out);
        assertTrue(out.contains("the portal's page of Demo Telecom lists the sites: pbx-a pbx-b"), out);
        assertTrue(Testbed.cli("core show uptime").exit() == 0, "the demo leaves a running testbed running");
    }
}
