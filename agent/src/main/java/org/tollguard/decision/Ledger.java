package org.tollguard.decision;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions in force, in memory: the agent's one source of truth for what is banned, blocked or still being
 * hung up, with where each one's enforcement stands. Every read and write is a short step under the ledger's
 * lock; nothing here touches the store.
 */
final class Ledger {
    private static final int RECENT = 1000;

    private static final class Entry {
        Decision decision;
        Enforcement enforcement;
        Instant appliedAt;

        Entry(Decision decision, Enforcement enforcement) {
            this.decision = decision;
            this.enforcement = enforcement;
        }

        ActiveDecision view() {
            return new ActiveDecision(decision, enforcement);
        }
    }

    private final Map<Long, Entry> active = new LinkedHashMap<>();
    private final Map<String, Integer> localBans = new HashMap<>();
    private final ArrayDeque<Decision> recent = new ArrayDeque<>();

    synchronized void loadHistory(Map<String, Integer> localBanCounts, List<Decision> newestFirst) {
        localBans.putAll(localBanCounts);
        for (int i = Math.min(newestFirst.size(), RECENT) - 1; i >= 0; i--) {
            recent.addFirst(newestFirst.get(i));
        }
    }

    /** Notes a new decision; holds it while it lasts or is not yet done. */
    synchronized void add(Decision d, boolean hold, Instant now, boolean isNew) {
        if (hold) {
            active.put(d.id(), new Entry(d, Enforcement.pending(now)));
        }
        if (isNew) {
            recent.addFirst(d);
            if (recent.size() > RECENT) {
                recent.removeLast();
            }
            if (d.kind() == DecisionKind.BAN_ADDRESS && d.origin() == Origin.LOCAL) {
                localBans.merge(d.target().text(), 1, Integer::sum);
            }
        }
    }

    /** Sets where {@code d}'s enforcement stands; returns the state before, or null if it is no longer held. */
    synchronized Enforcement update(Decision d, Enforcement enforcement, Instant appliedAt) {
        Entry e = active.get(d.id());
        if (e == null) {
            return null;
        }
        Enforcement before = e.enforcement;
        e.enforcement = enforcement;
        if (appliedAt != null) {
            e.appliedAt = appliedAt;
        }
        return before;
    }

    synchronized ActiveDecision get(long id) {
        Entry e = active.get(id);
        return e == null ? null : e.view();
    }

    synchronized boolean remove(long id) {
        return active.remove(id) != null;
    }

    synchronized List<ActiveDecision> active(DecisionKind kind) {
        List<ActiveDecision> out = new ArrayList<>();
        for (Entry e : active.values()) {
            if (e.decision.kind() == kind) {
                out.add(e.view());
            }
        }
        return out;
    }

    synchronized List<Decision> activeFor(DecisionKind kind, String target) {
        List<Decision> out = new ArrayList<>();
        for (Entry e : active.values()) {
            if (e.decision.kind() == kind && e.decision.target().text().equals(target)) {
                out.add(e.decision);
            }
        }
        return out;
    }

    /** Held decisions that expired by {@code now}. */
    synchronized List<Decision> expired(Instant now) {
        List<Decision> out = new ArrayList<>();
        for (Entry e : active.values()) {
            if (e.decision.expires() != null && !e.decision.expires().isAfter(now)) {
                out.add(e.decision);
            }
        }
        return out;
    }

    /** Held decisions last applied before {@code before}, of a kind that {@code renews}. */
    synchronized List<Decision> appliedBefore(Instant before, java.util.function.Predicate<Decision> renews) {
        List<Decision> out = new ArrayList<>();
        for (Entry e : active.values()) {
            if (e.enforcement.state() == Enforcement.State.HELD && e.appliedAt != null
                    && e.appliedAt.isBefore(before) && renews.test(e.decision)) {
                out.add(e.decision);
            }
        }
        return out;
    }

    synchronized Map<Origin, Integer> counts(DecisionKind kind) {
        Map<Origin, Integer> counts = new EnumMap<>(Origin.class);
        for (Entry e : active.values()) {
            if (e.decision.kind() == kind) {
                counts.merge(e.decision.origin(), 1, Integer::sum);
            }
        }
        return counts;
    }

    synchronized Map<DecisionKind, Integer> failedCounts() {
        Map<DecisionKind, Integer> counts = new EnumMap<>(DecisionKind.class);
        for (Entry e : active.values()) {
            if (e.enforcement.failed()) {
                counts.merge(e.decision.kind(), 1, Integer::sum);
            }
        }
        return counts;
    }

    synchronized int localBans(String address) {
        return localBans.getOrDefault(address, 0);
    }

    synchronized List<Decision> recent(int limit) {
        return recent.stream().limit(limit).toList();
    }
}
