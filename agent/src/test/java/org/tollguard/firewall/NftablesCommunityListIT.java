package org.tollguard.firewall;

import org.tollguard.config.FirewallConfig;

class NftablesCommunityListIT extends CommunityListScenarios {
    @Override
    FirewallConfig.Backend backend() {
        return FirewallConfig.Backend.NFTABLES;
    }
}
