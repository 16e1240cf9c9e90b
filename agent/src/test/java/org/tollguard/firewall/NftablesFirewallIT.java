package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.tollguard.config.FirewallConfig;

class NftablesFirewallIT extends FirewallScenarios {

    @Override
    FirewallConfig.Backend backend() {
        return FirewallConfig.Backend.NFTABLES;
    }

    @Override
    void installForeignState() throws Exception {
        net.srvWithInput("""
                table inet pbx {
                    set allow { type ipv4_addr; elements = { 203.0.113.5 } }
                    chain input {
                        type filter hook input priority filter; policy accept;
                        ct state established,related accept
                    }
                }
                """, "nft", "-f", "-");
    }

    @Override
    void assertForeignStateIntact() throws Exception {
        String pbx = net.srv("nft", "list", "table", "inet", "pbx");
        assertTrue(pbx.contains("ct state established,related accept"), pbx);
        assertTrue(pbx.contains("203.0.113.5"), pbx);
    }

    @Override
    void assertNothingOfOurs() throws Exception {
        String ruleset = net.srv("nft", "list", "ruleset");
        assertFalse(ruleset.toLowerCase().contains("tollguard"), ruleset);
        assertFalse(net.srv("ipset", "list", "-n").toLowerCase().contains("tollguard"));
    }

    /** A reload of nftables.service: {@code nft flush ruleset}, then the PBX's own ruleset loaded again. */
    @Override
    void wipeOurFirewall() throws Exception {
        net.srv("nft", "flush", "ruleset");
        installForeignState();
    }

    @Override
    void assertHookedOnce() throws Exception {
        String ruleset = net.srv("nft", "list", "ruleset");
        assertEquals(1, ruleset.lines().filter(l -> l.startsWith("table inet tollguard")).count(), ruleset);
        List<String> drops = net.srv("nft", "list", "chain", "inet", "tollguard", "prerouting").lines()
                .filter(l -> l.strip().endsWith(" drop")).toList();
        assertEquals(2, drops.size(), drops.toString());
    }

    @Override
    void fillIpv6BanSet(int count) throws Exception {
        StringBuilder elements = new StringBuilder();
        for (int i = 0; i < count; i++) {
            elements.append(i == 0 ? "" : ", ").append("2001:db8::1:").append(Integer.toHexString(i)).append(" timeout 600s");
        }
        net.srvWithInput("add element inet tollguard ban6 { " + elements + " }\n", "nft", "-f", "-");
    }

    @Override
    String banSetListing(boolean ipv6) throws Exception {
        return net.srv("nft", "list", "set", "inet", "tollguard", ipv6 ? NftablesFirewall.BAN6 : NftablesFirewall.BAN4);
    }

    @Override
    void assertPermanent(String address, String listing) {
        assertTrue(listing.contains(address) && !listing.contains(address + " timeout"), listing);
    }

    @Override
    String sizeInListing(int maxEntries) {
        return "size " + maxEntries;
    }
}
