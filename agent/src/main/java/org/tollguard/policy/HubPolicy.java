package org.tollguard.policy;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tollguard.blacklist.Enrollment;
import org.tollguard.blacklist.ListException;
import org.tollguard.calls.AccountControl;
import org.tollguard.calls.CallPolicy;
import org.tollguard.config.HubConfig;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.PolicyVerifier;
import org.tollguard.protocol.minisign.MinisignException;
import org.tollguard.protocol.minisign.MinisignPublicKey;
import org.tollguard.spend.SpendEngine;

/**
 * The hub's policy at this agent: the kept one applied at start, then the hub asked every poll interval; each new
 * policy becomes the call policy's layer (caps, durations, categories, prefixes, networks) and its account blocks
 * are carried out. Refusals go to {@code alert}.
 */
public final class HubPolicy implements AutoCloseable {
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

    private final LivePolicy live = new LivePolicy();
    private final PolicyPoller poller;
    private final ScheduledExecutorService timer;
    private final Duration interval;

    public HubPolicy(HubConfig config, Enrollment enrollment, Path file, CallPolicy calls, SpendEngine spend,
                     AccountControl accounts, Consumer<String> alert, Clock clock) throws ListException {
        PolicyVerifier verifier = new PolicyVerifier(new ListVerifier(enrollment.trustedKeys(config), clock));
        this.poller = new PolicyPoller(URI.create(config.url()), enrollment.credential(), enrollment.requireSiteId(),
                verifier, new PolicyFile(file), live, alert, clock, Duration.ofSeconds(10));
        this.interval = config.pollInterval();
        HashSet<String> pinned = new HashSet<>(config.pinned());
        live.onChange(policy -> {
            HubLayer layer = new HubLayer(policy, pinned);
            calls.layer((account, local) ->
                    layer.resolve(account, calls.groupOf(account), local, BigDecimal.ZERO).limits());
            if (spend != null) {
                spend.deltaLayer((account, local) -> layer.resolve(account, calls.groupOf(account),
                        calls.configuredFor(account), local).delta());
            }
        });
        live.onChange(new HubBlocks(accounts));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-policy");
            t.setDaemon(true);
            return t;
        });
    }

    /** Applies the kept policy now, then polls; sends a heartbeat every {@link #HEARTBEAT_INTERVAL}. */
    public void start(Runnable heartbeat) {
        poller.restore();
        timer.scheduleWithFixedDelay(poller::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(heartbeat, 1, HEARTBEAT_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    public LivePolicy live() {
        return live;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
