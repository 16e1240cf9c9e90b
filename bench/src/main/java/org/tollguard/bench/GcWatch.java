package org.tollguard.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** Every GC of this JVM as it happens: count, pause time, the longest pause, and the heap left after it. */
final class GcWatch {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong totalMillis = new AtomicLong();
    private final AtomicLong lastAfter = new AtomicLong();
    private final AtomicLong maxAfter = new AtomicLong();
    private final AtomicLong[] pauseHistogram = new AtomicLong[1001]; // by millisecond, the last one is 1000+

    private GcWatch() {
        for (int i = 0; i < pauseHistogram.length; i++) {
            pauseHistogram[i] = new AtomicLong();
        }
    }

    static GcWatch start() {
        GcWatch watch = new GcWatch();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) bean).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
                long pause = info.getGcInfo().getDuration();
                watch.count.incrementAndGet();
                watch.totalMillis.addAndGet(pause);
                watch.lastAfter.set(after);
                watch.maxAfter.accumulateAndGet(after, Math::max);
                watch.pauseHistogram[(int) Math.min(1000, pause)].incrementAndGet();
            }, null, null);
        }
        return watch;
    }

    long lastAfterBytes() {
        return lastAfter.get();
    }

    Snapshot snapshot() {
        long[] histogram = new long[pauseHistogram.length];
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] = pauseHistogram[i].get();
        }
        return new Snapshot(count.get(), totalMillis.get(), maxAfter.get(), histogram);
    }

    record Snapshot(long count, long totalMillis, long maxAfterBytes, long[] pauses) {
        /** The longest pause that happened after {@code earlier}. */
        long maxPauseMillisSince(Snapshot earlier) {
            for (int i = pauses.length - 1; i >= 0; i--) {
                if (pauses[i] > earlier.pauses[i]) {
                    return i;
                }
            }
            return 0;
        }
    }
}
