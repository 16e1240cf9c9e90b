package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rules each backend would install; the integration tests show that they work. */
class FirewallRulesTest {
    private final CommandRunner runner = new CommandRunner(null);

    @Test
    void ipsetDropsEverythingFromTheSetWithoutPorts() {
        IpsetFirewall firewall = new IpsetFirewall(runner, List.of(), 1024);
        assertEquals(List.of("-m set --match-set tollguard-ban4 src"), firewall.dropMatches(IpsetFirewall.BAN4));
    }

    @Test
    void ipsetSplitsPortsIntoMultiportRulesOfFifteen() {
        List<Integer> ports = IntStream.rangeClosed(5060, 5079).boxed().toList();
        List<String> matches = new IpsetFirewall(runner, ports, 1024).dropMatches("s");
        assertEquals(4, matches.size());
        assertEquals("-p udp -m multiport --dports 5060,5061,5062,5063,5064,5065,5066,5067,5068,5069,5070,5071,5072,"
                + "5073,5074 -m set --match-set s src", matches.get(0));
        assertEquals("-p udp -m multiport --dports 5075,5076,5077,5078,5079 -m set --match-set s src", matches.get(1));
        assertEquals("-p tcp -m multiport --dports 5075,5076,5077,5078,5079 -m set --match-set s src", matches.get(3));
    }

    @Test
    void nftablesRules() {
        assertEquals(List.of("ip saddr @ban4 drop", "ip6 saddr @ban6 drop"),
                new NftablesFirewall(runner, List.of(), 1024).rules());
        assertEquals(List.of("meta l4proto { tcp, udp } th dport { 5060, 5061 } ip saddr @ban4 drop",
                        "meta l4proto { tcp, udp } th dport { 5060, 5061 } ip6 saddr @ban6 drop"),
                new NftablesFirewall(runner, List.of(5060, 5061), 1024).rules());
    }
}
