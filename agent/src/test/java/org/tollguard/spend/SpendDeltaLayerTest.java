package org.tollguard.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's delta laid over a running spend IDS: it holds from the next evaluation, no restart. */
class SpendDeltaLayerTest {
    @TempDir
    Path dir;

    @Test
    void aDeltaFromTheHubLowersTheThresholdLive() throws Exception {
        Path deck = SpendRig.deck(dir, "1,United States,1.00,0,1/1\n");
        try (SpendRig rig = new SpendRig(dir, Instant.parse("2025-06-10T09:00:00Z"), """
                ids:
                  time-zone: UTC
                  rate-deck: %s
                  delta: 100
                """.formatted(deck))) {
            rig.talk("bob", "0012125551234", 301); // 5.016667, far under 100
            rig.settle();
            assertEquals(0, rig.blocksOf("bob").size());

            rig.spend.deltaLayer((account, local) -> account.equals("bob") ? Money.of("5") : local);
            assertEquals(0, Money.of("5").compareTo(rig.spend.status("bob").delta()));
            rig.talk("bob", "0012125551234", 2);
            rig.settle();
            assertEquals(1, rig.blocksOf("bob").size(), "past the hub's threshold: blocked");
            assertEquals(0, new BigDecimal("100").compareTo(rig.spend.status("alice").delta()),
                    "other accounts keep the local delta");
        }
    }
}
