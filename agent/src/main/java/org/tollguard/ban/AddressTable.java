package org.tollguard.ban;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-address records, least recently seen first. Holds at most {@code capacity} records (the least recently
 * seen is evicted) and drops records idle for longer than {@code idleMillis}.
 */
final class AddressTable {
    private final int capacity;
    private final long idleMillis;
    private final LinkedHashMap<InetAddress, AddressRecord> records;
    private long evicted;

    AddressTable(int capacity, long idleMillis) {
        this.capacity = capacity;
        this.idleMillis = idleMillis;
        this.records = new LinkedHashMap<>(1024, 0.75f, true);
    }

    AddressRecord get(InetAddress address) {
        return records.get(address);
    }

    AddressRecord getOrCreate(InetAddress address, long now, int maxFailuresKept) {
        AddressRecord r = records.get(address);
        if (r == null) {
            if (records.size() >= capacity) {
                Iterator<AddressRecord> eldest = records.values().iterator();
                eldest.next();
                eldest.remove();
                evicted++;
            }
            r = new AddressRecord(address, now, maxFailuresKept);
            records.put(address, r);
        }
        return r;
    }

    void remove(InetAddress address) {
        records.remove(address);
    }

    /** Drops records idle since before {@code now - idle}; they are at the head of the access order. */
    void expire(long now) {
        Iterator<Map.Entry<InetAddress, AddressRecord>> it = records.entrySet().iterator();
        while (it.hasNext()) {
            AddressRecord r = it.next().getValue();
            if (r.lastSeen >= now - idleMillis || r.hasPendingChallenges()) {
                break;
            }
            it.remove();
        }
    }

    Iterable<AddressRecord> all() {
        return records.values();
    }

    int size() {
        return records.size();
    }

    long evicted() {
        return evicted;
    }
}
