package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.tollguard.config.FirewallConfig;

class IpsetFirewallIT extends FirewallScenarios {

    @Override
    FirewallConfig.Backend backend() {
        return FirewallConfig.Backend.IPSET;
    }

    @Override
    void installForeignState() throws Exception {
        for (String iptables : List.of("iptables", "ip6tables")) {
            net.srv(iptables, "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
            net.srv(iptables, "-t", "raw", "-A", "PREROUTING", "-p", "udp", "--dport", "10000:20000",
                    "-j", "CT", "--notrack");
        }
        net.srv("ipset", "create", "pbx-allow", "hash:net");
        net.srv("ipset", "add", "pbx-allow", "203.0.113.0/24");
    }

    @Override
    void assertForeignStateIntact() throws Exception {
        for (String save : List.of("iptables-save", "ip6tables-save")) {
            String rules = net.srv(save);
            assertTrue(rules.contains("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"), rules);
            assertTrue(rules.contains("-A PREROUTING -p udp -m udp --dport 10000:20000 -j CT --notrack"), rules);
        }
        assertTrue(net.srv("ipset", "list", "pbx-allow").contains("203.0.113.0/24"));
    }

    @Override
    void assertNothingOfOurs() throws Exception {
        assertFalse(net.srv("ipset", "list", "-n").toLowerCase().contains("tollguard"));
        for (String save : List.of("iptables-save", "ip6tables-save")) {
            String rules = net.srv(save);
            assertFalse(rules.toLowerCase().contains("tollguard"), rules);
        }
        String ruleset = net.srv("nft", "list", "ruleset");
        assertFalse(ruleset.toLowerCase().contains("tollguard"), ruleset);
    }

    /** A netfilter-persistent reload of rules saved without ours: our jump and chain gone, then our sets. */
    @Override
    void wipeOurFirewall() throws Exception {
        for (String iptables : List.of("iptables", "ip6tables")) {
            net.srv(iptables, "-w", "-t", "raw", "-D", "PREROUTING", "-j", "TOLLGUARD");
            net.srv(iptables, "-w", "-t", "raw", "-F", "TOLLGUARD");
            net.srv(iptables, "-w", "-t", "raw", "-X", "TOLLGUARD");
        }
        net.srv("ipset", "destroy", "tollguard-ban4");
        net.srv("ipset", "destroy", "tollguard-ban6");
    }

    @Override
    void assertHookedOnce() throws Exception {
        for (String save : List.of("iptables-save", "ip6tables-save")) {
            List<String> prerouting = net.srv(save, "-t", "raw").lines()
                    .filter(l -> l.startsWith("-A PREROUTING ")).toList();
            assertEquals("-A PREROUTING -j TOLLGUARD", prerouting.get(0), "our jump comes first: " + prerouting);
            assertEquals(1, prerouting.stream().filter(l -> l.contains("TOLLGUARD")).count(), prerouting.toString());
        }
    }

    @Override
    void fillIpv6BanSet(int count) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < count; i++) {
            script.append("add ").append(IpsetFirewall.BAN6).append(" 2001:db8::1:").append(Integer.toHexString(i))
                    .append(" timeout 600\n");
        }
        net.srvWithInput(script.toString(), "ipset", "restore");
    }

    @Override
    String banSetListing(boolean ipv6) throws Exception {
        return net.srv("ipset", "list", ipv6 ? IpsetFirewall.BAN6 : IpsetFirewall.BAN4);
    }

    @Override
    void assertPermanent(String address, String listing) {
        assertTrue(listing.contains(address + " timeout 0"), listing);
    }

    @Override
    String sizeInListing(int maxEntries) {
        return "maxelem " + maxEntries + " ";
    }
}
