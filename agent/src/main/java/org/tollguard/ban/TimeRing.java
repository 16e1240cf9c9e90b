package org.tollguard.ban;

/** The newest {@code capacity} timestamps (epoch millis, appended in order), growing its array only as needed. */
final class TimeRing {
    private final int capacity;
    private long[] times = new long[2];
    private int start;
    private int size;

    TimeRing(int capacity) {
        this.capacity = capacity;
    }

    void add(long t) {
        if (size == times.length && size < capacity) {
            long[] bigger = new long[Math.min(capacity, times.length * 2)];
            for (int i = 0; i < size; i++) {
                bigger[i] = times[(start + i) % times.length];
            }
            times = bigger;
            start = 0;
        }
        if (size < times.length) {
            times[(start + size) % times.length] = t;
            size++;
        } else {
            times[start] = t;
            start = (start + 1) % times.length;
        }
    }

    /** How many kept timestamps are at or after {@code since}. */
    int countSince(long since) {
        int n = 0;
        for (int i = size - 1; i >= 0; i--) {
            if (times[(start + i) % times.length] < since) {
                break;
            }
            n++;
        }
        return n;
    }

    long newest() {
        return size == 0 ? Long.MIN_VALUE : times[(start + size - 1) % times.length];
    }

    void clear() {
        size = 0;
        start = 0;
    }
}
