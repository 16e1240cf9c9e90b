package org.tollguard.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One thing an operator should hear about.
 *
 * @param kind    a decision kind's id ({@code ban-address}, {@code block-account}, {@code refuse-call},
 *                {@code hangup-call}, {@code alert}) or {@code pbx-down}, {@code pbx-up}, {@code sync-failed}
 * @param target  what it is about: an address, an account, a PBX, a list source
 * @param summary one line for people
 * @param details the evidence, as stored with the decision
 */
public record Alert(Severity severity, String kind, String target, String summary, Map<String, Object> details,
                    Instant at) {
    public Alert {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(at, "at");
        details = details == null ? Map.of() : details;
    }
}
