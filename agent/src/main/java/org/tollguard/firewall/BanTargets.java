package org.tollguard.firewall;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import org.tollguard.net.IpAddresses;

/** Checks shared by every backend: which addresses may be banned, and how a timeout becomes kernel seconds. */
final class BanTargets {
    private BanTargets() {}

    /** Refuses addresses whose ban would cut the host off from itself or from everything. */
    static void checkBannable(InetAddress address) throws FirewallException {
        Objects.requireNonNull(address, "address");
        String reason = address.isLoopbackAddress() ? "a loopback address"
                : address.isAnyLocalAddress() ? "the unspecified address"
                : address.isMulticastAddress() ? "a multicast address"
                : null;
        if (reason != null) {
            throw new FirewallException("refusing to ban " + IpAddresses.format(address) + ": it is " + reason);
        }
    }

    /**
     * A ban timeout in whole seconds, rounded up and capped at {@code maxSeconds}; 0 for a permanent ban.
     */
    static long seconds(Duration timeout, long maxSeconds) {
        if (timeout == null) {
            return 0;
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("ban timeout " + timeout + " is not positive (null means permanent)");
        }
        long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
        return Math.min(seconds, maxSeconds);
    }
}
