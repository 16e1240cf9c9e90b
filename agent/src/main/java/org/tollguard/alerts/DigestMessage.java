package org.tollguard.alerts;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One message of a channel: what happened between {@code from} and {@code to}, counted exactly.
 *
 * @param total      alerts in the digest
 * @param dropped    alerts lost before they were counted (the dispatcher's queue was full)
 * @param counts     alerts by kind, in the order first seen
 * @param severities alerts by severity, lowest first
 * @param topTargets the most frequent targets, most frequent first
 * @param details    the first alerts, in full
 */
public record DigestMessage(String agent, Instant from, Instant to, long total, long dropped, Severity highest,
                            Map<String, Long> counts, Map<Severity, Long> severities, List<TargetCount> topTargets,
                            List<Alert> details) {

    public DigestMessage {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        severities = Collections.unmodifiableMap(new LinkedHashMap<>(severities));
        topTargets = List.copyOf(topTargets);
        details = List.copyOf(details);
    }

    public record TargetCount(String target, long count) {}

    /** Alerts counted but not listed one by one. */
    public long omitted() {
        return total - details.size();
    }

    /** E.g. {@code 5000 ban-address, 1 block-account}. */
    public String headline() {
        String h = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        if (dropped > 0) {
            h = (h.isEmpty() ? "" : h + ", ") + dropped + " lost (queue full)";
        }
        return h;
    }

    /** The subject line of an e-mail. */
    public String subject(String prefix) {
        String s = (prefix.isEmpty() ? "" : prefix + " ") + agent + ": " + highest.id().toUpperCase() + " " + headline();
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }

    /** The message as plain text (the e-mail body). */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("tollguard on ").append(agent).append(": ").append(total).append(total == 1 ? " alert" : " alerts")
                .append(" from ").append(seconds(from)).append(" to ").append(seconds(to))
                .append(" (highest severity: ").append(highest.id()).append(")\n\n");
        b.append("By kind:\n");
        counts.forEach((k, v) -> b.append(String.format("  %-16s %d%n", k, v)));
        if (dropped > 0) {
            b.append(String.format("  %-16s %d (the alert queue was full)%n", "lost", dropped));
        }
        b.append("\nBy severity:\n");
        severities.forEach((k, v) -> b.append(String.format("  %-16s %d%n", k.id(), v)));
        if (!topTargets.isEmpty()) {
            b.append("\nTop targets:\n");
            topTargets.forEach(t -> b.append(String.format("  %-40s %d%n", t.target(), t.count())));
        }
        if (!details.isEmpty()) {
            b.append("\n").append(details.size() == total ? "All alerts" : "First " + details.size() + " of " + total)
                    .append(":\n");
            for (Alert a : details) {
                b.append("  ").append(seconds(a.at())).append(' ').append(a.severity().id()).append(' ').append(a.summary()).append('\n');
                if (!a.details().isEmpty()) {
                    b.append("      ").append(evidence(a, 500)).append('\n');
                }
            }
        }
        if (omitted() > 0) {
            b.append("\n...and ").append(omitted())
                    .append(" more: 'tollguard status' and the agent's log (journalctl -u tollguard) list them all.\n");
        }
        return b.toString();
    }

    /** An instant to the second, for people. */
    static String seconds(Instant i) {
        return i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** An alert's evidence as {@code key=value} pairs, cut at {@code max} characters. */
    static String evidence(Alert a, int max) {
        String s = a.details().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return s.length() > max ? s.substring(0, max - 3) + "..." : s;
    }
}
