package org.tollguard.spend;

import java.math.BigDecimal;

/**
 * An account's expected daily spend.
 *
 * @param value       the average daily spend over {@code days}, or the configured floor
 * @param days        days of history in the window: from the day of the account's first stored call (or the
 *                    window's first day, whichever is later) up to yesterday; days without calls count as 0 spend
 * @param fromHistory true if {@code value} is the average; false if the account has fewer days of history than
 *                    {@code ids.min-history} (or none) and {@code value} is the floor
 */
public record Baseline(BigDecimal value, long days, boolean fromHistory) {}
