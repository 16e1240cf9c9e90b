package org.tollguard.policy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.tollguard.protocol.SitePolicy;

/**
 * The hub policy in force, read by the engines on each decision (no restart to apply a new one), and what the
 * heartbeat reports about it: the version, the last check with the hub, and why the last offer was refused.
 */
public final class LivePolicy {
    private volatile SitePolicy current;
    private volatile Instant lastSync;
    private volatile String problem;
    private final List<Consumer<SitePolicy>> listeners = new CopyOnWriteArrayList<>();

    /** The policy in force, or null when the hub has given none (the local config alone rules). */
    public SitePolicy current() {
        return current;
    }

    public long version() {
        SitePolicy p = current;
        return p == null ? 0 : p.version();
    }

    public Instant lastSync() {
        return lastSync;
    }

    public String problem() {
        return problem;
    }

    /** Called with each newly applied policy (for example to hang up the calls of a newly blocked account). */
    public void onChange(Consumer<SitePolicy> listener) {
        listeners.add(listener);
    }

    void apply(SitePolicy policy, Instant at) {
        current = policy;
        lastSync = at;
        problem = null;
        listeners.forEach(l -> l.accept(policy));
    }

    void synced(Instant at) {
        lastSync = at;
    }

    void refused(String why) {
        problem = why;
    }
}
