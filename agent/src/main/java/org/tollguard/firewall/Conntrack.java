package org.tollguard.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 */
final class Conntrack {
    private static final Logger log = LoggerFactory.getLogger(Conntrack.class);

    private final CommandRunner runner;
    private final Set<InetAddress> pending = new LinkedHashSet<>(); // guarded by itself
    private final ThreadPoolExecutor worker;

    Conntrack(CommandRunner runner) {
        this.runner = runner;
        this.worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tollguard-conntrack");
            t.setDaemon(true);
            return t;
        });
        worker.allowCoreThreadTimeOut(true);
    }

    /** Queues {@link #deleteFlowsFrom}; an address already waiting is not queued twice. Failures are logged. */
    void deleteFlowsFromSoon(InetAddress address) {
        synchronized (pending) {
            if (!pending.add(address)) {
                return;
            }
        }
        worker.execute(() -> {
            synchronized (pending) {
                pending.remove(address);
            }
            try {
                deleteFlowsFrom(address);
            } catch (FirewallException e) {
                log.warn("conntrack flows not cleared address={} error=\"{}\"", IpAddresses.format(address),
                        e.getMessage());
            }
        });
    }

    /** {@code conntrack -D -f FAMILY -s ADDR}; having nothing to delete is fine. */
    void deleteFlowsFrom(InetAddress address) throws FirewallException {
        String family = address instanceof Inet6Address ? "ipv6" : "ipv4";
        CommandRunner.Result result = runner.runAllowingFailure(null,
                "conntrack", "-D", "-f", family, "-s", IpAddresses.format(address));
        if (!result.ok() && !result.stderr().contains("0 flow entries")) {
            throw new FirewallException("the ban is in place but its tracked connections were not cleared: "
                    + result.describe());
        }
    }
}
