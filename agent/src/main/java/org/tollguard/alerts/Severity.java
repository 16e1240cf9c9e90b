package org.tollguard.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How urgent an alert is, lowest first. Each channel sends alerts at or above its {@code min-severity}. */
public enum Severity {
    /** Routine: community list imports, things the operator did himself. */
    INFO,
    /** Worth a look: a call refused before it was dialled, an operator's block. */
    NOTICE,
    /** Something was attacked or cut: an address banned, a live call hung up, a sync failed. */
    WARNING,
    /** Money or protection at stake now: an account blocked for fraud, the PBX connection lost (and regained). */
    CRITICAL;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    @JsonCreator
    public static Severity fromId(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (Severity s : values()) {
            if (s.id().equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a severity (one of: "
                + Arrays.stream(values()).map(Severity::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id();
    }
}
