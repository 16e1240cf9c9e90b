package org.tollguard.freeswitch.esl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Multi-valued, order-preserving header maps with case-insensitive lookup (FreeSWITCH compares names with strcasecmp). */
final class Headers {
    private Headers() {}

    /** A deep, unmodifiable copy that keeps insertion order. */
    static Map<String, List<String>> freeze(Map<String, List<String>> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>(capacity(headers.size()));
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    /** All values of a header, in arrival order; empty if absent. */
    static List<String> values(Map<String, List<String>> headers, String name) {
        List<String> exact = headers.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /** The first value of a header, or null. */
    static String first(Map<String, List<String>> headers, String name) {
        List<String> values = values(headers, name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** A HashMap capacity that holds {@code n} entries without resizing. */
    static int capacity(int n) {
        return Math.max(16, (int) (n / 0.75f) + 1);
    }

    /** Collects headers; a name that repeats (in any letter case) keeps all its values under its first spelling. */
    static final class Builder {
        private final Map<String, List<String>> map;
        private final Map<String, String> spelling;

        Builder() {
            this(12);
        }

        /** @param expected about how many headers will come (sizes the maps: a CHANNEL_* event has ~200) */
        Builder(int expected) {
            map = new LinkedHashMap<>(capacity(expected));
            spelling = new HashMap<>(capacity(expected));
        }

        Builder add(String name, String value) {
            List<String> values = map.get(name);
            if (values == null) {
                String first = spelling.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                if (first == null) {
                    values = new ArrayList<>(1);
                    map.put(name, values);
                } else {
                    values = map.get(first);
                }
            }
            values.add(value);
            return this;
        }

        /**
         * The headers collected, not frozen: they go straight into an {@link EslEvent} or {@link EslMessage}, whose
         * constructors freeze them (one copy per frame, not two).
         */
        Map<String, List<String>> build() {
            return map;
        }
    }
}
