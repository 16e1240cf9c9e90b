package org.tollguard.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts a channel collects until its next message: exact counts of everything, the first few alerts in
 * full, and the most frequent targets. Memory is bounded whatever the wave: only counts grow.
 * Confined to the dispatcher thread.
 */
final class Digest {
    /**
     * Distinct targets counted one by one. When full, the least frequent are forgotten (lossy counting), so a
     * target that keeps coming back stays in the top list however many one-off targets a wave brings.
     */
    static final int MAX_TRACKED_TARGETS = 10_000;

    final long openedMillis;
    private final int maxDetails;
    private Instant first;
    private Instant last;
    private long total;
    private long dropped;
    private Severity highest = Severity.INFO;
    private final Map<String, Long> byKind = new LinkedHashMap<>();
    private final Map<Severity, Long> bySeverity = new LinkedHashMap<>();
    private final Map<String, Long> byTarget = new HashMap<>();
    private final List<Alert> details = new ArrayList<>();

    Digest(long openedMillis, int maxDetails) {
        this.openedMillis = openedMillis;
        this.maxDetails = maxDetails;
    }

    void add(Alert a) {
        total++;
        first = first == null || a.at().isBefore(first) ? a.at() : first;
        last = last == null || a.at().isAfter(last) ? a.at() : last;
        highest = a.severity().atLeast(highest) ? a.severity() : highest;
        byKind.merge(a.kind(), 1L, Long::sum);
        bySeverity.merge(a.severity(), 1L, Long::sum);
        countTarget(a.target(), 1);
        if (details.size() < maxDetails) {
            details.add(a);
        }
    }

    private void countTarget(String target, long n) {
        if (!byTarget.containsKey(target)) {
            for (long floor = 1; byTarget.size() >= MAX_TRACKED_TARGETS; floor++) {
                long f = floor;
                byTarget.values().removeIf(count -> count <= f);
            }
        }
        byTarget.merge(target, n, Long::sum);
    }

    /** Alerts that never reached the digest because the dispatcher's queue was full. */
    void addDropped(long n) {
        dropped += n;
    }

    boolean isEmpty() {
        return total == 0 && dropped == 0;
    }

    long total() {
        return total;
    }

    /** Folds an undelivered message's content back in (counts stay exact; its listed alerts come first). */
    void absorb(DigestMessage m) {
        total += m.total();
        dropped += m.dropped();
        first = first == null || m.from().isBefore(first) ? m.from() : first;
        last = last == null || m.to().isAfter(last) ? m.to() : last;
        highest = m.highest().atLeast(highest) ? m.highest() : highest;
        Map<String, Long> kinds = new LinkedHashMap<>(m.counts()); // the older alerts' kinds first
        byKind.forEach((k, v) -> kinds.merge(k, v, Long::sum));
        byKind.clear();
        byKind.putAll(kinds);
        m.severities().forEach((k, v) -> bySeverity.merge(k, v, Long::sum));
        for (DigestMessage.TargetCount t : m.topTargets()) {
            countTarget(t.target(), t.count());
        }
        List<Alert> merged = new ArrayList<>(m.details());
        merged.addAll(details);
        details.clear();
        details.addAll(merged.subList(0, Math.min(maxDetails, merged.size())));
    }

    DigestMessage close(String agent, int topTargets, Instant now) {
        List<DigestMessage.TargetCount> top = byTarget.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(topTargets)
                .map(e -> new DigestMessage.TargetCount(e.getKey(), e.getValue()))
                .toList();
        Map<Severity, Long> severities = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            Long n = bySeverity.get(s);
            if (n != null) {
                severities.put(s, n);
            }
        }
        return new DigestMessage(agent, first == null ? now : first, last == null ? now : last, total, dropped, highest,
                byKind, severities, top,
                List.copyOf(details));
    }
}
