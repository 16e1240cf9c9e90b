package org.tollguard.spend;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a destination costs.
 *
 * @param prefix      the rate deck prefix (E.164 digits without '+'), or {@code default:CATEGORY} for a default
 *                    price of the configuration
 * @param description the deck's description
 * @param perMinute   price per minute
 * @param setup       set-up price, charged once per answered call
 * @param increments  billing increments
 */
public record Rate(String prefix, String description, BigDecimal perMinute, BigDecimal setup, Increments increments) {
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    public Rate {
        Objects.requireNonNull(prefix, "prefix");
        description = description == null ? "" : description;
        Objects.requireNonNull(perMinute, "perMinute");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(increments, "increments");
        if (perMinute.signum() < 0 || setup.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /** A rate that costs nothing (categories without a price). */
    public static Rate free(String prefix) {
        return new Rate(prefix, "no price", BigDecimal.ZERO, BigDecimal.ZERO, new Increments(1, 1));
    }

    /**
     * The cost of an answered call of {@code seconds} billable seconds: set-up price plus the price per minute for
     * the {@link Increments#billed billed} seconds, rounded once to {@link Money#SCALE} decimals (half up).
     */
    public BigDecimal cost(long seconds) {
        long billed = increments.billed(seconds);
        BigDecimal talk = perMinute.multiply(BigDecimal.valueOf(billed)).divide(SIXTY, Money.SCALE + 6, Money.ROUNDING);
        return Money.of(setup.add(talk));
    }
}
