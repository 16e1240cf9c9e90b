package org.tollguard.hub.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.tollguard.yamlconfig.Durations;

/** How the portal's templates write values: lists as words, durations as in the agent's config, times in UTC. */
public final class PortalText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private PortalText() {}

    public static String words(List<String> values) {
        return values == null ? "" : String.join(" ", values);
    }

    public static String duration(Duration d) {
        return d == null ? "" : Durations.format(d);
    }

    public static String time(Instant at) {
        return at == null ? "never" : TIME.format(at);
    }

    public static String text(Object value) {
        return value == null ? "inherited" : value instanceof List<?> l ? (l.isEmpty() ? "none" : words(
                l.stream().map(Object::toString).toList())) : value instanceof Duration d ? duration(d) : value.toString();
    }
}
