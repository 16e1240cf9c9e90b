package org.tollguard.firewall;

import org.tollguard.config.FirewallConfig;

class IpsetCommunityListIT extends CommunityListScenarios {
    @Override
    FirewallConfig.Backend backend() {
        return FirewallConfig.Backend.IPSET;
    }
}
