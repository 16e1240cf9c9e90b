package org.tollguard.ban;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.Origin;
import org.tollguard.net.IpAddresses;

/** What operators do with bans (list, ban, unban), and re-applying the stored bans at start-up. */
public final class BanControl {
    private static final Logger log = LoggerFactory.getLogger(BanControl.class);

    private final Decisions decisions;
    private final NeverBan neverBan;
    private final BanEngine engine;
    private final Clock clock;

    public BanControl(Decisions decisions, NeverBan neverBan, BanEngine engine, Clock clock) {
        this.decisions = decisions;
        this.neverBan = neverBan;
        this.engine = engine;
        this.clock = clock;
    }

    public Decisions decisions() {
        return decisions;
    }

    public List<Decision> active() {
        return decisions.repository().active(DecisionKind.BAN_ADDRESS, clock.instant());
    }

    /** Bans by hand; {@code duration} null means permanent. Refuses protected addresses. */
    public Decision ban(String address, Duration duration, String reason, String by) {
        InetAddress a = IpAddresses.parse(address);
        Optional<String> why = neverBan.whyProtected(a);
        if (why.isPresent()) {
            throw new IllegalArgumentException(IpAddresses.format(a) + " is never banned: " + why.get());
        }
        return decisions.take(Decision.of(DecisionKind.BAN_ADDRESS, IpAddresses.format(a),
                reason == null || reason.isBlank() ? "banned by " + by : reason, Map.of("by", by),
                Origin.OPERATOR, clock.instant(), duration));
    }

    /** Lifts every active ban of the address, in the kernel and in the store; returns how many. */
    public int unban(String address, String by, String reason) {
        InetAddress a = IpAddresses.parse(address);
        int lifted = decisions.lift(DecisionKind.BAN_ADDRESS, IpAddresses.format(a), by, reason);
        if (engine != null) {
            engine.forget(a);
        }
        return lifted;
    }

    /** Puts the active bans back into the kernel (a reboot empties ipset); expired ones stay out. */
    public int restore() {
        List<Decision> active = active();
        for (Decision d : active) {
            decisions.reapply(d);
        }
        log.info("bans restored count={}", active.size());
        return active.size();
    }
}
