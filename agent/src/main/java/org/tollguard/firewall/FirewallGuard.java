package org.tollguard.firewall;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches our part of the kernel firewall: when another tool removed or changed it ({@code iptables -F}, {@code nft
 * flush ruleset}, a reload of nftables.service or netfilter-persistent, firewalld, ufw), it sets it up again, puts
 * every active ban and list entry back ({@code restore}) and tells {@code report} once per incident what happened.
 */
public final class FirewallGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FirewallGuard.class);

    private final Firewall firewall;
    private final Runnable restore;
    private final Consumer<String> report;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "firewall-guard");
        t.setDaemon(true);
        return t;
    });
    private boolean failing;

    /**
     * @param restore puts every active ban and community list back into the freshly set-up firewall
     * @param report  hears one sentence per incident (repaired, or could not be repaired)
     */
    public FirewallGuard(Firewall firewall, Runnable restore, Consumer<String> report) {
        this.firewall = firewall;
        this.restore = restore;
        this.report = report;
    }

    /** Checks every {@code period} from now on. */
    public FirewallGuard start(Duration period) {
        timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check, and the repair if needed (on the guard's thread, or a test's). */
    void check() {
        List<String> damage;
        try {
            damage = firewall.damage();
        } catch (FirewallException | RuntimeException e) {
            log.warn("firewall check failed error=\"{}\"", e.getMessage());
            return;
        }
        if (damage.isEmpty()) {
            failing = false;
            return;
        }
        String what = String.join("; ", damage);
        log.error("firewall changed behind our back, repairing backend={} damage=\"{}\"", firewall.name(), what);
        try {
            firewall.setUp();
            restore.run();
            List<String> left = firewall.damage();
            if (!left.isEmpty()) {
                throw new FirewallException("still damaged after repair: " + String.join("; ", left));
            }
            failing = false;
            log.warn("firewall repaired backend={}", firewall.name());
            report.accept("firewall (" + firewall.name() + ") was changed by another tool (" + what
                    + "); set up again with every active ban and list");
        } catch (FirewallException | RuntimeException e) {
            log.error("firewall repair failed backend={} error=\"{}\"", firewall.name(), e.getMessage());
            if (!failing) {
                failing = true;
                report.accept("firewall (" + firewall.name() + ") was changed by another tool (" + what
                        + ") and could NOT be repaired: " + e.getMessage() + "; bans are not enforced, retrying");
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
