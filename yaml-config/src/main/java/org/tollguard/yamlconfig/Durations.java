package org.tollguard.yamlconfig;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Operator durations: {@code 250ms}, {@code 90s}, {@code 10m}, {@code 6h}, {@code 7d}, {@code 2w}, or combined {@code 1h30m}. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    /** Longer than any sensible ban or timeout, and far from overflowing {@code Instant.plus}. */
    public static final Duration MAX = Duration.ofDays(36_500);

    private Durations() {}

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("'" + text + "' is too long a duration (at most 36500d, 100 years)");
    }

    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip();
        if (!WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 90s, 10m, 6h, 7d)");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(s);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(Math.multiplyExact(7, n));
                });
            }
        } catch (ArithmeticException | NumberFormatException e) { // more digits than a long holds, or overflow
            throw tooLong(text);
        }
        if (total.compareTo(MAX) > 0) {
            throw tooLong(text);
        }
        return total;
    }

    /** The shortest text that {@link #parse} reads back to the same duration. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            if (ms >= sizes[i]) {
                sb.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return sb.toString();
    }
}
