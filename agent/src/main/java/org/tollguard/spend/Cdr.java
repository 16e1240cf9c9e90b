package org.tollguard.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.tollguard.numbers.Category;

/**
 * A finished outgoing call with its cost: one row of the spend history.
 *
 * @param callId          the PBX's unique id of the calling channel (Asterisk Uniqueid); duplicates are skipped
 * @param destination     the number as dialled
 * @param e164            the normalised number; null if not a phone number
 * @param answered        null if the call was not answered
 * @param billableSeconds as the PBX reported them, else answer to end (started seconds count)
 * @param cost            at {@link Money#SCALE} decimals
 * @param rate            the deck prefix that priced it, or {@code default:CATEGORY}
 * @param origin          {@code live} (the PBX's call events), {@code cdr} (corrected by the PBX's own call
 *                        detail record) or {@code import} (import-cdr)
 */
public record Cdr(String callId, String account, String destination, String e164, Category category, boolean highRisk,
                  Instant started, Instant answered, Instant ended, long billableSeconds, BigDecimal cost,
                  String currency, String rate, String origin) {
    public Cdr {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ended, "ended");
        cost = Money.of(cost);
    }
}
