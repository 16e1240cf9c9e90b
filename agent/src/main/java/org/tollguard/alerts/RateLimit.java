package org.tollguard.alerts;

import java.util.ArrayDeque;

/** At most {@code maxPerHour} messages in any sliding hour. Confined to the dispatcher thread. */
final class RateLimit {
    private static final long HOUR = 3_600_000L;
    private final int maxPerHour;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    RateLimit(int maxPerHour) {
        this.maxPerHour = maxPerHour;
    }

    /** Takes a slot at {@code now} if one is free. */
    boolean tryAcquire(long now) {
        expire(now);
        if (sent.size() >= maxPerHour) {
            return false;
        }
        sent.addLast(now);
        return true;
    }

    /** When the next slot frees up (now, if one is free). */
    long nextSlot(long now) {
        expire(now);
        return sent.size() < maxPerHour ? now : sent.peekFirst() + HOUR;
    }

    private void expire(long now) {
        while (!sent.isEmpty() && sent.peekFirst() + HOUR <= now) {
            sent.removeFirst();
        }
    }
}
