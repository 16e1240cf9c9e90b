package org.tollguard.spend;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The days on which the spend IDS blocked an account, so that a restart does not trip it again the same day. The
 * store keeps them ({@code store.SpendTripRepository}); a method throws the store's {@link RuntimeException} when
 * it cannot be used.
 */
public interface SpendTrips {
    void record(String account, LocalDate day, Instant at);

    /** The accounts tripped on {@code day}, with when. */
    Map<String, Instant> on(LocalDate day);
}
