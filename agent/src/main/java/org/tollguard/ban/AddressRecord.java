package org.tollguard.ban;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one address did recently. Owned by the ban engine's thread; sizes are bounded so that a million
 * scanning addresses cost little memory each.
 */
final class AddressRecord {
    private static final int MAX_PENDING_CHALLENGES = 64;
    private static final int MAX_ACCOUNTS_KEPT = 50;

    final InetAddress address;
    final long firstSeen;
    long lastSeen;
    /** Until when this address is banned (epoch millis): its in-flight requests must not ban it again. */
    long bannedUntil = Long.MIN_VALUE;
    private final TimeRing failures;
    private final Map<String, Integer> countsByType = new TreeMap<>();
    private final LinkedHashMap<String, Long> accounts = new LinkedHashMap<>(4, 0.75f, true);
    private final ArrayDeque<Long> pendingChallenges = new ArrayDeque<>(2);
    private final Map<String, String> lastSeenValues = new TreeMap<>();

    AddressRecord(InetAddress address, long now, int maxFailuresKept) {
        this.address = address;
        this.firstSeen = now;
        this.lastSeen = now;
        this.failures = new TimeRing(maxFailuresKept);
    }

    void noteContext(String service, String transport, String userAgent) {
        putIfPresent("service", service);
        putIfPresent("transport", transport);
        putIfPresent("user-agent", userAgent);
    }

    private void putIfPresent(String key, String value) {
        if (value != null && !value.isEmpty()) {
            lastSeenValues.put(key, value);
        }
    }

    void addFailure(String type, String account, long at) {
        failures.add(at);
        countsByType.merge(type, 1, Integer::sum);
        if (!account.isEmpty()) {
            accounts.put(account, at);
            if (accounts.size() > MAX_ACCOUNTS_KEPT) {
                Iterator<String> eldest = accounts.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        lastSeen = Math.max(lastSeen, at);
    }

    /** Returns false if the challenge could not be kept pending and must count at once. */
    boolean addPendingChallenge(long at) {
        if (pendingChallenges.size() >= MAX_PENDING_CHALLENGES) {
            return false;
        }
        pendingChallenges.addLast(at);
        return true;
    }

    /** A response (success or failure) answers the oldest pending challenge. */
    void answerChallenge() {
        pendingChallenges.pollFirst();
    }

    boolean hasPendingChallenges() {
        return !pendingChallenges.isEmpty();
    }

    /** Removes and returns the time of the oldest pending challenge if it was sent at or before {@code deadline}. */
    Long takeUnansweredBefore(long deadline) {
        Long oldest = pendingChallenges.peekFirst();
        if (oldest != null && oldest <= deadline) {
            return pendingChallenges.pollFirst();
        }
        return null;
    }

    int failuresSince(long since) {
        return failures.countSince(since);
    }

    int accountsSince(long since) {
        int n = 0;
        for (long t : accounts.values()) {
            if (t >= since) {
                n++;
            }
        }
        return n;
    }

    long lastFailure() {
        return failures.newest();
    }

    void clearFailures() {
        failures.clear();
        countsByType.clear();
        accounts.clear();
    }

    Map<String, Integer> countsByType() {
        return countsByType;
    }

    Iterable<String> accounts() {
        return accounts.keySet();
    }

    Map<String, String> context() {
        return lastSeenValues;
    }
}
