package org.tollguard.hub.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UtcInstantDeserializerTest {
    @Test
    void readsWhatInstantWritesExactlyAsInstantParseDoes() {
        for (String s : new String[] {"2026-05-01T11:59:31Z", "2026-05-01T11:59:31.1Z", "2026-05-01T11:59:31.123Z",
                "2026-05-01T11:59:31.123456Z", "2026-05-01T11:59:31.123456789Z", "1970-01-01T00:00:00Z",
                "2024-02-29T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z"}) {
            assertEquals(Instant.parse(s), UtcInstantDeserializer.parse(s), s);
        }
        for (int i = 0; i < 1000; i++) {
            Instant random = Instant.ofEpochSecond((long) (Math.random() * 4e9), (long) (Math.random() * 1e9));
            assertEquals(random, UtcInstantDeserializer.parse(random.toString()), random.toString());
        }
    }

    @Test
    void leavesEverythingElseToJackson() {
        for (String s : new String[] {"yesterday", "2026-05-01T11:59:31", "2026-05-01T11:59:31+02:00",
                "2026-05-01 11:59:31Z", "2026-02-30T11:59:31Z", "2026-05-01T24:00:00Z", "2026-05-01T11:59:60Z",
                "2026-05-01T11:59:31.Z", "2026-05-01T11:59:31.1234567890Z", "2026-05-01T11:5a:31Z",
                "+2026-05-01T11:59:31Z", "2026-05-01t11:59:31z"}) {
            assertNull(UtcInstantDeserializer.parse(s), s);
        }
    }
}
