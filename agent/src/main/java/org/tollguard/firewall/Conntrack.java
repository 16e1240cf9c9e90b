package org.tollguard.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.net.IpAddresses;

/**
 * Forgets the tracked connections of a banned address, so that no connection state outlives the ban.
 *
 * <p>Bans drop in the {@code raw} table, before connection tracking, so a banned address's packets stop the moment
 * its set entry exists, tracked or not. Deleting its flows is hygiene, and slow: {@code conntrack -D -s} walks the
 * kernel's whole conntrack hash (about 15-30 ms with the 262144 buckets of a 24 GB machine, however few entries
 * there are). So {@link #deleteFlowsFromSoon} does it on a worker thread of its own, after the ban is in place,
 * keeping that walk out of the ban's latency.
 *
 * <p>That walk is also CPU: about 12 ms of kernel time per address. A scan wave that bans 200 addresses a second
 * would keep one core busy with it for minutes and starve the engines. So the worker rests {@value #REST_FACTOR}
 * times as long as each deletion took (at most a fifth of one core goes to it), and at most {@value #MAX_PENDING}
 * addresses wait; a ban beyond that skips the clean-up, which is safe: its packets are dropped before conntrack, and
 * its flows time out by themselves.
 */
final class Conntrack {
    private static final Logger log = LoggerFactory.getLogger(Conntrack.class);
    static final int MAX_PENDING = 256;
    static final int REST_FACTOR = 4;
    private static final long MAX_REST_NANOS = Duration.ofMillis(250).toNanos();
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    /** Deletes the flows of one address. */
    interface Deleter {
        void deleteFlowsFrom(InetAddress address) throws FirewallException;
    }

    private final Deleter deleter;
    private final Set<InetAddress> pending = new LinkedHashSet<>(); // guarded by itself
    private final ThreadPoolExecutor worker;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong skippedSinceWarning = new AtomicLong();
    private volatile long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

    Conntrack(CommandRunner runner) {
        this(address -> deleteFlowsFrom(runner, address));
    }

    Conntrack(Deleter deleter) {
        this.deleter = deleter;
        this.worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tollguard-conntrack");
            t.setDaemon(true);
            return t;
        });
        worker.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues the deletion of the address's flows; an address already waiting is not queued twice, and with
     * {@value #MAX_PENDING} waiting the clean-up is skipped. Failures are logged.
     */
    void deleteFlowsFromSoon(InetAddress address) {
        synchronized (pending) {
            if (pending.contains(address)) {
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                skip();
                return;
            }
            pending.add(address);
        }
        worker.execute(() -> {
            synchronized (pending) {
                pending.remove(address);
            }
            long start = System.nanoTime();
            try {
                deleter.deleteFlowsFrom(address);
            } catch (FirewallException e) {
                log.warn("conntrack flows not cleared address={} error=\"{}\"", IpAddresses.format(address),
                        e.getMessage());
            }
            rest(System.nanoTime() - start);
        });
    }

    /** Bans whose clean-up was skipped so far. */
    long skipped() {
        return skipped.get();
    }

    private void skip() {
        skipped.incrementAndGet();
        long n = skippedSinceWarning.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarning >= WARN_EVERY_NANOS) {
            lastWarning = now;
            skippedSinceWarning.addAndGet(-n);
            log.warn("conntrack clean-up skipped count={} reason=\"{} banned addresses already wait for it; their packets"
                    + " are dropped before conntrack and their flows time out by themselves\"", n, MAX_PENDING);
        }
    }

    private static void rest(long tookNanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(MAX_REST_NANOS, tookNanos * REST_FACTOR));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code conntrack -D -f FAMILY -s ADDR}; having nothing to delete is fine. */
    static void deleteFlowsFrom(CommandRunner runner, InetAddress address) throws FirewallException {
        String family = address instanceof Inet6Address ? "ipv6" : "ipv4";
        CommandRunner.Result result = runner.runAllowingFailure(null,
                "conntrack", "-D", "-f", family, "-s", IpAddresses.format(address));
        if (!result.ok() && !result.stderr().contains("0 flow entries")) {
            throw new FirewallException("the ban is in place but its tracked connections were not cleared: "
                    + result.describe());
        }
    }
}
