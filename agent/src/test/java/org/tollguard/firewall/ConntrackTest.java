package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tollguard.net.IpAddresses;

/** The clean-up worker under a ban storm: bounded waiting, nothing twice, and rests between deletions. */
class ConntrackTest {
    private static InetAddress address(int i) {
        return IpAddresses.parse("198.19." + (i >> 8) + "." + (i & 0xff));
    }

    @Test
    void aStormOfBansQueuesAtMostMaxPendingAndSkipsTheRest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<InetAddress> deleted = new CopyOnWriteArrayList<>();
        Conntrack conntrack = new Conntrack(a -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleted.add(a);
        });
        conntrack.deleteFlowsFromSoon(address(0));
        assertTrue(started.await(5, TimeUnit.SECONDS), "the worker took the first address");
        int storm = Conntrack.MAX_PENDING + 100;
        for (int i = 1; i <= storm; i++) {
            conntrack.deleteFlowsFromSoon(address(i));
        }
        assertEquals(100, conntrack.skipped());
        conntrack.deleteFlowsFromSoon(address(1)); // waiting already: nothing more to do
        assertEquals(100, conntrack.skipped());
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (deleted.size() < Conntrack.MAX_PENDING + 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(Conntrack.MAX_PENDING + 1, deleted.size());
        assertEquals(address(Conntrack.MAX_PENDING), deleted.get(Conntrack.MAX_PENDING), "in ban order");
    }

    @Test
    void theWorkerRestsBetweenDeletions() throws Exception {
        List<Long> starts = new CopyOnWriteArrayList<>();
        Conntrack conntrack = new Conntrack(a -> {
            starts.add(System.nanoTime());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 3; i++) {
            conntrack.deleteFlowsFromSoon(address(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (starts.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(3, starts.size());
        long gap = TimeUnit.NANOSECONDS.toMillis(starts.get(2) - starts.get(0)) / 2;
        assertTrue(gap >= 20 * (1 + Conntrack.REST_FACTOR), "a deletion of 20 ms, then a rest of 80 ms: " + gap + " ms apart");
    }
}
