package org.tollguard.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.Durations;
import org.tollguard.net.IpAddresses;

/**
 * Bans with nftables: a table of our own, {@code inet tollguard}, holding one timeout set per address family and a
 * chain hooked at prerouting with priority {@code raw} (before connection tracking) that drops their traffic.
 * Every change is one {@code nft -f -} transaction.
 *
 * <p>Names: sets {@value #BAN4} and {@value #BAN6}; sets that come later (the community list, {@code list4} and
 * {@code list6} with {@code flags interval}, replaced in one transaction) get their rules in the same chain
 * through {@link #rules()}.
 */
final class NftablesFirewall implements Firewall {
    private static final Logger log = LoggerFactory.getLogger(NftablesFirewall.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String TABLE = "inet tollguard";
    static final String CHAIN = "prerouting";
    static final String BAN4 = "ban4";
    static final String BAN6 = "ban6";
    /** A year; longer element timeouts are refused by the nft tool and may overflow on older kernels. */
    static final long MAX_TIMEOUT_SECONDS = 365L * 86_400;
    /** nft's message for ENFILE, which is what a full set answers. */
    private static final String SET_FULL = "Too many open files in system";
    private static final String MISSING = "No such file or directory";

    private final CommandRunner runner;
    private final Conntrack conntrack;
    private final List<Integer> ports;
    private final int maxEntries;

    NftablesFirewall(CommandRunner runner, List<Integer> ports, int maxEntries) {
        this.runner = runner;
        this.conntrack = new Conntrack(runner);
        this.ports = List.copyOf(ports);
        this.maxEntries = maxEntries;
    }

    @Override
    public String name() {
        return "nftables";
    }

    /**
     * One transaction creates what is missing and replaces our rules. A ban set of another size is rebuilt in the
     * same transaction with its elements and their remaining timeouts (older kernels cannot resize a set).
     */
    @Override
    public synchronized void setUp() throws FirewallException {
        Map<String, Integer> sizes = currentSetSizes();
        StringBuilder script = new StringBuilder();
        script.append("add table ").append(TABLE).append('\n');
        script.append("add chain ").append(TABLE).append(' ').append(CHAIN)
                .append(" { type filter hook prerouting priority raw; policy accept; }\n");
        script.append("flush chain ").append(TABLE).append(' ').append(CHAIN).append('\n');
        for (String[] set : new String[][] {{BAN4, "ipv4_addr"}, {BAN6, "ipv6_addr"}}) {
            String name = set[0];
            String definition = "add set " + TABLE + " " + name + " { type " + set[1] + "; flags timeout; size "
                    + maxEntries + "; }\n";
            Integer size = sizes.get(name);
            if (size != null && size != maxEntries) {
                List<String> elements = elementsWithRemainingTimeouts(name);
                script.append("delete set ").append(TABLE).append(' ').append(name).append('\n');
                script.append(definition);
                for (int i = 0; i < elements.size(); i += 1000) {
                    script.append("add element ").append(TABLE).append(' ').append(name).append(" { ")
                            .append(String.join(", ", elements.subList(i, Math.min(elements.size(), i + 1000))))
                            .append(" }\n");
                }
                log.info("ban set resized set={} max_entries={} was={} entries_kept={}", name, maxEntries, size,
                        elements.size());
            } else {
                script.append(definition);
            }
        }
        for (String rule : rules()) {
            script.append("add rule ").append(TABLE).append(' ').append(CHAIN).append(' ').append(rule).append('\n');
        }
        CommandRunner.Result result = runner.runAllowingFailure(script.toString(), "nft", "-f", "-");
        if (!result.ok()) {
            String hint = result.stderr().contains(SET_FULL)
                    ? "a ban set holds more entries than max-entries " + maxEntries + "; " : "";
            throw new FirewallException("cannot set up table " + TABLE + ": " + hint + result.describe());
        }
        log.info("firewall set up backend=nftables table=\"{}\" sets={},{} ports={} max_entries={} netns={}",
                TABLE, BAN4, BAN6, ports.isEmpty() ? "all" : ports, maxEntries, runner.netns());
    }

    /** Our chain's rules: drop what comes from a ban set, all of it or to the configured udp and tcp ports. */
    List<String> rules() {
        String portMatch = ports.isEmpty() ? "" : "meta l4proto { tcp, udp } th dport { "
                + ports.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " } ";
        return List.of(portMatch + "ip saddr @" + BAN4 + " drop", portMatch + "ip6 saddr @" + BAN6 + " drop");
    }

    /**
     * Adds the address, or, when it is there, replaces it so its timeout starts again: add (a no-op if present),
     * delete, add, in one transaction.
     */
    @Override
    public void ban(InetAddress address, Duration timeout) throws FirewallException {
        BanTargets.checkBannable(address);
        long seconds = BanTargets.seconds(timeout, MAX_TIMEOUT_SECONDS);
        if (timeout != null && seconds < timeout.getSeconds()) {
            log.warn("ban timeout capped address={} timeout={} capped_to={}s", IpAddresses.format(address),
                    Durations.format(timeout), seconds);
        }
        String text = IpAddresses.format(address);
        String set = setOf(address);
        String element = "{ " + text + (seconds == 0 ? "" : " timeout " + seconds + "s") + " }";
        String script = "add element " + TABLE + " " + set + " " + element + "\n"
                + "delete element " + TABLE + " " + set + " { " + text + " }\n"
                + "add element " + TABLE + " " + set + " " + element + "\n";
        CommandRunner.Result result = runner.runAllowingFailure(script, "nft", "-f", "-");
        if (!result.ok() && result.stderr().contains(MISSING)) {
            log.warn("table or ban set missing, setting up again table=\"{}\" set={}", TABLE, set);
            setUp();
            result = runner.runAllowingFailure(script, "nft", "-f", "-");
        }
        if (!result.ok()) {
            if (result.stderr().contains(SET_FULL)) {
                throw new FirewallException("ban set " + TABLE + " " + set + " is full (max-entries " + maxEntries
                        + "): cannot ban " + text + "; raise firewall.max-entries; " + result.describe());
            }
            throw new FirewallException("cannot ban " + text + ": " + result.describe());
        }
        conntrack.deleteFlowsFromSoon(address);
        log.info("ban applied address={} timeout={} backend=nftables", text,
                seconds == 0 ? "permanent" : Durations.format(Duration.ofSeconds(seconds)));
    }

    @Override
    public void unban(InetAddress address) throws FirewallException {
        String text = IpAddresses.format(address);
        CommandRunner.Result result = runner.runAllowingFailure(
                "delete element " + TABLE + " " + setOf(address) + " { " + text + " }\n", "nft", "-f", "-");
        if (!result.ok() && !result.stderr().contains(MISSING)) {
            throw new FirewallException("cannot unban " + text + ": " + result.describe());
        }
        log.info("ban lifted address={} backend=nftables", text);
    }

    @Override
    public Set<String> listBanned() throws FirewallException {
        Set<String> banned = new LinkedHashSet<>();
        for (String set : List.of(BAN4, BAN6)) {
            JsonNode listing = listSet(set);
            if (listing == null) {
                continue;
            }
            for (JsonNode element : listing.path("elem")) {
                String value = element.isTextual() ? element.asText() : element.path("elem").path("val").asText();
                banned.add(IpAddresses.format(IpAddresses.parse(value)));
            }
        }
        return Collections.unmodifiableSet(banned);
    }

    /** Deleting the table removes its chain, rules and sets at once; adding it first makes a missing one fine. */
    @Override
    public synchronized void tearDown() throws FirewallException {
        runner.runWithInput("add table " + TABLE + "\ndelete table " + TABLE + "\n", "nft", "-f", "-");
        log.info("firewall torn down backend=nftables netns={}", runner.netns());
    }

    private static String setOf(InetAddress address) {
        return address instanceof Inet6Address ? BAN6 : BAN4;
    }

    /** Sizes of our sets now, without their elements; empty if the table is not there. */
    private Map<String, Integer> currentSetSizes() throws FirewallException {
        CommandRunner.Result result = runner.runAllowingFailure(null, "nft", "-j", "-t", "list", "table", TABLE);
        Map<String, Integer> sizes = new HashMap<>();
        if (!result.ok()) {
            if (result.stderr().contains(MISSING)) {
                return sizes;
            }
            throw new FirewallException("cannot read table " + TABLE + ": " + result.describe());
        }
        for (JsonNode item : parse(result).path("nftables")) {
            JsonNode set = item.get("set");
            if (set != null) {
                sizes.put(set.path("name").asText(), set.path("size").asInt(0));
            }
        }
        return sizes;
    }

    /** The set's elements as nft element text, each with the time it has left. */
    private List<String> elementsWithRemainingTimeouts(String set) throws FirewallException {
        List<String> elements = new ArrayList<>();
        JsonNode listing = listSet(set);
        if (listing == null) {
            return elements;
        }
        for (JsonNode element : listing.path("elem")) {
            if (element.isTextual()) {
                elements.add(element.asText());
            } else {
                JsonNode e = element.path("elem");
                long expires = e.path("expires").asLong(0);
                elements.add(e.path("val").asText() + (e.has("timeout") ? " timeout " + Math.max(1, expires) + "s" : ""));
            }
        }
        return elements;
    }

    /** The set's JSON listing, or null if it is not there. */
    private JsonNode listSet(String set) throws FirewallException {
        CommandRunner.Result result = runner.runAllowingFailure(null, "nft", "-j", "list", "set", TABLE, set);
        if (!result.ok()) {
            if (result.stderr().contains(MISSING)) {
                return null;
            }
            throw new FirewallException("cannot list set " + TABLE + " " + set + ": " + result.describe());
        }
        for (JsonNode item : parse(result).path("nftables")) {
            if (item.has("set")) {
                return item.get("set");
            }
        }
        return null;
    }

    private static JsonNode parse(CommandRunner.Result result) throws FirewallException {
        try {
            return JSON.readTree(result.stdout());
        } catch (IOException e) {
            throw new FirewallException("cannot read the JSON of '" + String.join(" ", result.command()) + "': "
                    + e.getMessage(), e);
        }
    }
}
