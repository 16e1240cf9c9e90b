package org.tollguard.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.tollguard.net.IpAddresses;

/** Forgets the tracked connections of a banned address, so that no existing flow outlives the ban. */
final class Conntrack {
    private final CommandRunner runner;

    Conntrack(CommandRunner runner) {
        this.runner = runner;
    }

    /** {@code conntrack -D -s ADDR}; having nothing to delete is fine. */
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
