package org.tollguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;
    private Store store;
    private TrustRepository trust;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("tollguard.db"));
        trust = new TrustRepository(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String account(String address) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT account FROM trusted_address WHERE address = ?")) {
                ps.setString(1, address);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    @Test
    void recordsAndListsSuccessesSince() {
        trust.recordSuccess("198.51.100.7", "1001", T0);
        trust.recordSuccess("2001:db8::7", "1002", T0.plusSeconds(60));
        assertEquals(Map.of("198.51.100.7", T0, "2001:db8::7", T0.plusSeconds(60)), trust.successesSince(T0));
        assertEquals(Map.of("2001:db8::7", T0.plusSeconds(60)), trust.successesSince(T0.plusSeconds(1)));
        assertEquals(Map.of(), trust.successesSince(T0.plusSeconds(61)));
    }

    @Test
    void laterSuccessMovesTheTimeAndTheAccount() {
        trust.recordSuccess("198.51.100.7", "1001", T0);
        trust.recordSuccess("198.51.100.7", "1002", T0.plusSeconds(60));
        assertEquals(Map.of("198.51.100.7", T0.plusSeconds(60)), trust.successesSince(T0));
        assertEquals("1002", account("198.51.100.7"));
    }

    @Test
    void olderSuccessArrivingLateChangesNeitherTimeNorAccount() {
        trust.recordSuccess("198.51.100.7", "1002", T0.plusSeconds(60));
        trust.recordSuccess("198.51.100.7", "1001", T0);
        assertEquals(Map.of("198.51.100.7", T0.plusSeconds(60)), trust.successesSince(T0));
        assertEquals("1002", account("198.51.100.7"));
    }

    @Test
    void pruneForgetsOnlyOlderSuccesses() {
        trust.recordSuccess("198.51.100.1", "a", T0);
        trust.recordSuccess("198.51.100.2", "b", T0.plusSeconds(10));
        assertEquals(1, trust.prune(T0.plusSeconds(10)));
        assertEquals(Map.of("198.51.100.2", T0.plusSeconds(10)), trust.successesSince(Instant.EPOCH));
        assertEquals(0, trust.prune(T0));
    }

    @Test
    void survivesReopen() {
        trust.recordSuccess("198.51.100.7", "1001", T0);
        store.close();
        store = Store.open(dir.resolve("tollguard.db"));
        trust = new TrustRepository(store);
        assertEquals(Map.of("198.51.100.7", T0), trust.successesSince(T0));
    }
}
