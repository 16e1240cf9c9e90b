package org.tollguard.firewall;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Enforcer;
import org.tollguard.decision.Target;

/**
 * Applies address bans to the kernel firewall, with the time each has left. The kernel caps an entry's timeout
 * (ipset at about 24.8 days), so longer and permanent bans are applied again well before it lifts them.
 */
public final class FirewallEnforcer implements Enforcer {
    /** Half of ipset's longest timeout: a ban renewed this often never lapses in the kernel. */
    static final Duration RENEW_EVERY = Duration.ofDays(12);

    private final Firewall firewall;
    private final Clock clock;

    public FirewallEnforcer(Firewall firewall, Clock clock) {
        this.firewall = firewall;
        this.clock = clock;
    }

    @Override
    public boolean handles(Decision decision) {
        return decision.kind() == DecisionKind.BAN_ADDRESS && decision.target() instanceof Target.Address;
    }

    @Override
    public CompletionStage<Void> apply(Decision decision) {
        Duration left = decision.remaining(clock.instant());
        if (left != null && left.isZero()) {
            return Enforcer.done(); // expired meanwhile: nothing to put in the kernel
        }
        try {
            firewall.ban(address(decision), left);
            return Enforcer.done();
        } catch (FirewallException | RuntimeException e) {
            return Enforcer.failed(e);
        }
    }

    @Override
    public CompletionStage<Void> lift(Decision decision) {
        try {
            firewall.unban(address(decision));
            return Enforcer.done();
        } catch (FirewallException | RuntimeException e) {
            return Enforcer.failed(e);
        }
    }

    @Override
    public Duration renewEvery() {
        return RENEW_EVERY;
    }

    private static java.net.InetAddress address(Decision decision) throws FirewallException {
        Target.Address a = (Target.Address) decision.target();
        if (!a.network().isSingleAddress()) {
            throw new FirewallException("bans are per address; " + a.text() + " is a network (use a community list)");
        }
        return a.network().network();
    }
}
