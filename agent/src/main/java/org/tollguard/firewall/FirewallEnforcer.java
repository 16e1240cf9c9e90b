package org.tollguard.firewall;

import java.time.Clock;
import java.time.Duration;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Enforcer;
import org.tollguard.net.IpAddresses;

/** Applies address bans to the kernel firewall, with the time each has left. */
public final class FirewallEnforcer implements Enforcer {
    private final Firewall firewall;
    private final Clock clock;

    public FirewallEnforcer(Firewall firewall, Clock clock) {
        this.firewall = firewall;
        this.clock = clock;
    }

    @Override
    public boolean handles(DecisionKind kind) {
        return kind == DecisionKind.BAN_ADDRESS;
    }

    @Override
    public void apply(Decision decision) throws FirewallException {
        Duration left = decision.remaining(clock.instant());
        if (left != null && left.isZero()) {
            return; // expired meanwhile: nothing to put in the kernel
        }
        firewall.ban(IpAddresses.parse(decision.target()), left);
    }

    @Override
    public void lift(Decision decision) throws FirewallException {
        firewall.unban(IpAddresses.parse(decision.target()));
    }
}
