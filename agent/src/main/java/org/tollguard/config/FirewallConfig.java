package org.tollguard.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code firewall:} how bans reach the kernel.
 *
 * @param backend    {@code ipset} (ipset sets matched by iptables/ip6tables), {@code nftables} (a table of its
 *                   own), or {@code log} (decide and record, change nothing); default {@code ipset}
 * @param netns      the network namespace the PBX lives in; every firewall command then runs as
 *                   {@code ip netns exec NAME ...}; default none (the agent's own namespace)
 * @param ports      the ports (udp and tcp alike) a ban drops; empty, the default, drops all traffic from a
 *                   banned address
 * @param maxEntries how many addresses each ban set holds; default 1048576
 */
public record FirewallConfig(
        Backend backend,
        @JsonInclude(JsonInclude.Include.NON_NULL) String netns,
        List<Integer> ports,
        Integer maxEntries) {

    public static final int DEFAULT_MAX_ENTRIES = 1_048_576;
    public static final int MIN_MAX_ENTRIES = 1024;
    private static final Pattern NETNS_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public enum Backend {
        @JsonProperty("ipset") IPSET,
        @JsonProperty("nftables") NFTABLES,
        @JsonProperty("log") LOG
    }

    public FirewallConfig {
        backend = backend == null ? Backend.IPSET : backend;
        if (netns != null && !NETNS_NAME.matcher(netns).matches()) {
            throw new IllegalArgumentException("netns: '" + netns + "' is not a network namespace name"
                    + " (letters, digits, '_', '.', '-'; as listed by 'ip netns list')");
        }
        ports = ports == null ? List.of() : ports;
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("ports: " + port + " is outside 1..65535");
            }
        }
        ports = ports.stream().distinct().sorted().toList();
        maxEntries = maxEntries == null ? DEFAULT_MAX_ENTRIES : maxEntries;
        if (maxEntries < MIN_MAX_ENTRIES) {
            throw new IllegalArgumentException("max-entries: " + maxEntries + " is below the minimum " + MIN_MAX_ENTRIES);
        }
    }

    public static FirewallConfig defaults() {
        return new FirewallConfig(null, null, null, null);
    }
}
