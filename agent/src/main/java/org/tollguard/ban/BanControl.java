package org.tollguard.ban;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tollguard.decision.ActiveDecision;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.Enforcement;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.net.IpAddresses;

/** What operators do with bans (list, ban, unban), and re-applying the stored bans at start-up. */
public final class BanControl {
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

    /** The bans in force, oldest first, each with where its enforcement stands. */
    public List<ActiveDecision> active() {
        return decisions.active(DecisionKind.BAN_ADDRESS);
    }

    /**
     * Bans by hand; {@code duration} null means permanent. Refuses protected addresses. Returns the ban with where
     * its enforcement stands (failed if the kernel refused it).
     */
    public ActiveDecision ban(String address, Duration duration, String reason, String by) {
        InetAddress a = IpAddresses.parse(address);
        Optional<String> why = neverBan.whyProtected(a);
        if (why.isPresent()) {
            throw new IllegalArgumentException(IpAddresses.format(a) + " is never banned: " + why.get());
        }
        Decision d = decisions.take(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.of(a),
                reason == null || reason.isBlank() ? "banned by " + by : reason, Map.of("by", by),
                Origin.OPERATOR, clock.instant(), duration));
        ActiveDecision held = decisions.get(d.id());
        // gone from the ledger only if lifted in the same instant
        return held != null ? held : new ActiveDecision(d, new Enforcement(Enforcement.State.UNENFORCED, 0, null, d.created()));
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
}
