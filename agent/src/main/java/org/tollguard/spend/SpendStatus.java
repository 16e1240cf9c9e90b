package org.tollguard.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * An account's spend today as the IDS sees it.
 *
 * @param today        finished + live
 * @param finished     calls that ended today
 * @param live         accrued cost of answered calls in progress
 * @param liveCalls    answered calls in progress whose cost counts
 * @param baseline     average daily spend (or the floor, see {@link Baseline})
 * @param baselineDays days of history the baseline averages over
 * @param fromHistory  false if the baseline is the floor
 * @param threshold    baseline + delta: spending more than this trips the IDS
 * @param status       {@code ok}, {@code near} (at least 80% of the threshold) or {@code tripped} (blocked today)
 * @param tripped      when the IDS blocked the account today; null if it did not
 */
public record SpendStatus(String account, LocalDate day, String currency, BigDecimal today, BigDecimal finished,
                          BigDecimal live, int liveCalls, BigDecimal baseline, long baselineDays, boolean fromHistory,
                          BigDecimal delta, BigDecimal threshold, String status, Instant tripped) {}
