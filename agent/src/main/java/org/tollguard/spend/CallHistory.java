package org.tollguard.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The finished calls with their cost, where today's spend and the baselines come from. The store keeps them
 * ({@code store.CdrRepository}); a method throws the store's {@link RuntimeException} when it cannot be used.
 */
public interface CallHistory {
    /** Stores a call; false if a call with the same id is already stored (it is left as it was). */
    boolean insert(Cdr cdr);

    /** Stores many calls at once; returns the ids that were new (the others were already stored). */
    List<String> insertAll(Collection<Cdr> cdrs);

    /** Replaces a stored call (the PBX's own record of it arrived); false if it was not stored. */
    boolean replace(Cdr cdr);

    /** The account's spend on calls that ended in {@code [from, to)} and count under {@code filter}. */
    BigDecimal sum(String account, Instant from, Instant to, SpendFilter filter);

    /** Every account's spend on calls that ended in {@code [from, to)} and count under {@code filter}. */
    Map<String, BigDecimal> sumByAccount(Instant from, Instant to, SpendFilter filter);

    /** When the account's first stored call ended: where its history begins. */
    Optional<Instant> firstEnded(String account);
}
