package org.tollguard.spend;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Billing increments, written {@code FIRST/NEXT} in seconds: {@code 60/60} bills whole minutes, {@code 30/6} the
 * first 30 seconds then every started 6 seconds, {@code 1/1} by the second. The first increment is billed as soon
 * as a call is answered.
 */
public record Increments(int first, int next) {
    private static final int MAX_SECONDS = 3600;

    public Increments {
        if (first < 1 || next < 1 || first > MAX_SECONDS || next > MAX_SECONDS) {
            throw new IllegalArgumentException("increments " + first + "/" + next + ": both must be between 1 and "
                    + MAX_SECONDS + " seconds");
        }
    }

    /** As written in the configuration (YAML reads {@code 60} as a number: it is still text here). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Increments fromConfig(Object value) {
        return parse(String.valueOf(value));
    }

    /** {@code 60/60}, {@code 30/6}, {@code 1/1}. */
    public static Increments parse(String text) {
        String s = text == null ? "" : text.strip();
        int slash = s.indexOf('/');
        if (slash < 1 || !s.substring(0, slash).matches("\\d{1,4}") || !s.substring(slash + 1).matches("\\d{1,4}")) {
            throw new IllegalArgumentException("increments '" + text + "' are not FIRST/NEXT seconds (e.g. 60/60, 30/6, 1/1)");
        }
        return new Increments(Integer.parseInt(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
    }

    /**
     * Seconds billed for a call of {@code seconds}: 0 for 0, at least the first increment, then whole next
     * increments for every started one.
     */
    public long billed(long seconds) {
        if (seconds <= 0) {
            return 0;
        }
        if (seconds <= first) {
            return first;
        }
        long rest = seconds - first;
        return first + ((rest + next - 1) / next) * next;
    }

    @JsonValue
    @Override
    public String toString() {
        return first + "/" + next;
    }
}
