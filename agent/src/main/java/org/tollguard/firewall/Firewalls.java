package org.tollguard.firewall;

import org.tollguard.config.FirewallConfig;

/** Builds the enforcer the configuration asks for. */
public final class Firewalls {
    private Firewalls() {}

    public static Firewall create(FirewallConfig config) {
        CommandRunner runner = new CommandRunner(config.netns());
        return switch (config.backend()) {
            case IPSET -> new IpsetFirewall(runner, config.ports(), config.maxEntries());
            case NFTABLES -> new NftablesFirewall(runner, config.ports(), config.maxEntries());
            case LOG -> new LogOnlyFirewall();
        };
    }
}
