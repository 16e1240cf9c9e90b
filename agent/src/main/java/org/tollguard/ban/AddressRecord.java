package org.tollguard.ban;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one address did recently. Owned by the ban engine's thread. Kept small, because a scan wave brings
 * tens of thousands of addresses that each fail once: collections are created only when needed, and the few
 * distinct service, transport and event-type names are shared rather than copied per address.
 */
final class AddressRecord {
    private static final int MAX_PENDING_CHALLENGES = 64;
    private static final int MAX_ACCOUNTS_KEPT = 50;
    private static final int MAX_USER_AGENT = 80;

    final InetAddress address;
    final long firstSeen;
    long lastSeen;
    /** Until when this address is banned (epoch millis): its in-flight requests must not ban it again. */
    long bannedUntil = Long.MIN_VALUE;
    private final TimeRing failures;
    private String[] types = new String[1];
    private int[] typeCounts = new int[1];
    private LinkedHashMap<String, Long> accounts;
    private ArrayDeque<PendingChallenge> pendingChallenges;

    /** A challenge sent, waiting for its answer: when, and the account name the PBX gave ("" if none). */
    record PendingChallenge(long at, String account) {}
    private String service;
    private String transport;
    private String userAgent;

    AddressRecord(InetAddress address, long now, int maxFailuresKept) {
        this.address = address;
        this.firstSeen = now;
        this.lastSeen = now;
        this.failures = new TimeRing(maxFailuresKept);
    }

    void noteContext(String service, String transport, String userAgent) {
        if (!service.isEmpty()) {
            this.service = service.intern(); // a handful of values: PJSIP, SIP, AMI, ...
        }
        if (!transport.isEmpty()) {
            this.transport = transport.intern();
        }
        if (!userAgent.isEmpty()) { // attacker-chosen: not interned, kept short
            this.userAgent = userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        }
    }

    void addFailure(String type, String account, long at) {
        failures.add(at);
        countType(type);
        if (!account.isEmpty()) {
            if (accounts == null) {
                accounts = new LinkedHashMap<>(4, 0.75f, true);
            }
            accounts.put(account, at);
            if (accounts.size() > MAX_ACCOUNTS_KEPT) {
                Iterator<String> eldest = accounts.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        lastSeen = Math.max(lastSeen, at);
    }

    private void countType(String type) {
        int i = 0;
        while (i < types.length && types[i] != null) {
            if (types[i].equals(type)) {
                typeCounts[i]++;
                return;
            }
            i++;
        }
        if (i == types.length) {
            types = java.util.Arrays.copyOf(types, i * 2);
            typeCounts = java.util.Arrays.copyOf(typeCounts, i * 2);
        }
        types[i] = type.intern(); // event names: a fixed vocabulary per PBX
        typeCounts[i] = 1;
    }

    /** Returns false if the challenge could not be kept pending and must count at once. */
    boolean addPendingChallenge(long at, String account) {
        if (pendingChallenges == null) {
            pendingChallenges = new ArrayDeque<>(2);
        }
        if (pendingChallenges.size() >= MAX_PENDING_CHALLENGES) {
            return false;
        }
        pendingChallenges.addLast(new PendingChallenge(at, account == null ? "" : account));
        return true;
    }

    /** A response (success or failure) answers the oldest pending challenge. */
    void answerChallenge() {
        if (pendingChallenges != null) {
            pendingChallenges.pollFirst();
        }
    }

    boolean hasPendingChallenges() {
        return pendingChallenges != null && !pendingChallenges.isEmpty();
    }

    /** Removes and returns the oldest pending challenge if it was sent at or before {@code deadline}. */
    PendingChallenge takeUnansweredBefore(long deadline) {
        PendingChallenge oldest = pendingChallenges == null ? null : pendingChallenges.peekFirst();
        if (oldest != null && oldest.at() <= deadline) {
            return pendingChallenges.pollFirst();
        }
        return null;
    }

    int failuresSince(long since) {
        return failures.countSince(since);
    }

    int accountsSince(long since) {
        if (accounts == null) {
            return 0;
        }
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
        types = new String[1];
        typeCounts = new int[1];
        accounts = null;
    }

    Map<String, Integer> countsByType() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (int i = 0; i < types.length && types[i] != null; i++) {
            out.put(types[i], typeCounts[i]);
        }
        return out;
    }

    Iterable<String> accounts() {
        return accounts == null ? java.util.List.of() : accounts.keySet();
    }

    /** Service, transport and user agent as last seen, for the evidence. */
    Map<String, String> context() {
        Map<String, String> out = new java.util.TreeMap<>();
        if (service != null) {
            out.put("service", service);
        }
        if (transport != null) {
            out.put("transport", transport);
        }
        if (userAgent != null) {
            out.put("user-agent", userAgent);
        }
        return out;
    }
}
