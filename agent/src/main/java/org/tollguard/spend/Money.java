package org.tollguard.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How money is held: {@link BigDecimal} with a fixed scale of {@value #SCALE} decimal places (millionths of the
 * currency unit), never floating point. Each call's cost is rounded once, {@link RoundingMode#HALF_UP}, to that
 * scale; sums of costs are then exact. The store keeps amounts as whole millionths ({@link #toMicros}).
 */
public final class Money {
    public static final int SCALE = 6;
    public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {}

    /** {@code amount} at the fixed scale. */
    public static BigDecimal of(BigDecimal amount) {
        return amount.setScale(SCALE, ROUNDING);
    }

    public static BigDecimal of(String amount) {
        return of(new BigDecimal(amount));
    }

    public static long toMicros(BigDecimal amount) {
        return of(amount).unscaledValue().longValueExact();
    }

    public static BigDecimal fromMicros(long micros) {
        return BigDecimal.valueOf(micros, SCALE);
    }

    /**
     * Reads an amount as written: a plain non-negative decimal number ({@code 30}, {@code 12.50}, {@code 0.0125}),
     * no sign, exponent, thousands separator or currency; throws {@link IllegalArgumentException} otherwise.
     */
    public static BigDecimal parse(String text) {
        String s = text == null ? "" : text.strip();
        if (!s.matches("\\d{1,12}(\\.\\d{1,12})?")) {
            throw new IllegalArgumentException("'" + text + "' is not an amount (write e.g. 30, 12.50 or 0.0125)");
        }
        return new BigDecimal(s);
    }

    /** For people: two decimals (half up), e.g. {@code 50.14}. */
    public static String format(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
