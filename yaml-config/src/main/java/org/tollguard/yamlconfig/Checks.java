package org.tollguard.yamlconfig;

import java.time.Duration;

/**
 * Value checks shared by the config records. Each failure reads {@code key: problem}; the loader then reports it
 * at that key's line and path.
 */
public final class Checks {
    private Checks() {}

    public static void port(String key, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + ": must be a port between 1 and 65535, not " + port);
        }
    }

    public static void positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + ": must be longer than 0s");
        }
    }

    /** A list written with an empty entry ({@code - } alone, or {@code ~}) would otherwise fail with a bare NPE. */
    public static void noEmptyEntries(String key, java.util.List<?> list) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException(key + "[" + i + "]: is empty");
            }
        }
    }

    public static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + ": must be at least " + min + ", not " + value);
        }
    }
}
