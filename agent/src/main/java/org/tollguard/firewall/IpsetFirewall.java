package org.tollguard.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.Durations;
import org.tollguard.net.IpAddresses;

/**
 * Bans with ipset: one {@code hash:ip} set per address family with per-entry timeouts, matched from a chain of
 * our own in the {@code raw} table (before connection tracking) that PREROUTING jumps to first.
 *
 * <p>Names: chain {@value #CHAIN} in iptables and ip6tables; sets {@value #BAN4} and {@value #BAN6}. Sets that
 * come later (the community list, {@code tollguard-list4}/{@code tollguard-list6}, {@code hash:net} swapped in
 * whole with {@code ipset swap}) get their match rules in the same chain through {@link IpFamily}.
 */
final class IpsetFirewall implements Firewall {
    private static final Logger log = LoggerFactory.getLogger(IpsetFirewall.class);

    static final String CHAIN = "TOLLGUARD";
    static final String BAN4 = "tollguard-ban4";
    static final String BAN6 = "tollguard-ban6";
    /** The largest per-entry timeout ipset accepts (UINT_MAX/2 ms), about 24.8 days. */
    static final long MAX_TIMEOUT_SECONDS = 2_147_483;
    private static final int MULTIPORT_MAX = 15;

    /** What differs between IPv4 and IPv6. */
    enum IpFamily {
        V4("inet", "iptables", "iptables-restore", BAN4),
        V6("inet6", "ip6tables", "ip6tables-restore", BAN6);

        final String ipsetFamily;
        final String iptables;
        final String restore;
        final String banSet;

        IpFamily(String ipsetFamily, String iptables, String restore, String banSet) {
            this.ipsetFamily = ipsetFamily;
            this.iptables = iptables;
            this.restore = restore;
            this.banSet = banSet;
        }

        static IpFamily of(InetAddress address) {
            return address instanceof Inet6Address ? V6 : V4;
        }
    }

    private final CommandRunner runner;
    private final IpsetSession session;
    private final Conntrack conntrack;
    private final List<Integer> ports;
    private final int maxEntries;

    IpsetFirewall(CommandRunner runner, List<Integer> ports, int maxEntries) {
        this.runner = runner;
        this.session = new IpsetSession(runner);
        this.conntrack = new Conntrack(runner);
        this.ports = List.copyOf(ports);
        this.maxEntries = maxEntries;
    }

    @Override
    public String name() {
        return "ipset";
    }

    @Override
    public synchronized void setUp() throws FirewallException {
        for (IpFamily family : IpFamily.values()) {
            ensureSet(family);
        }
        for (IpFamily family : IpFamily.values()) {
            installRules(family);
        }
        log.info("firewall set up backend=ipset sets={},{} chain=raw/{} ports={} max_entries={} netns={}",
                BAN4, BAN6, CHAIN, ports.isEmpty() ? "all" : ports, maxEntries, runner.netns());
    }

    @Override
    public void ban(InetAddress address, Duration timeout) throws FirewallException {
        BanTargets.checkBannable(address);
        long seconds = BanTargets.seconds(timeout, MAX_TIMEOUT_SECONDS);
        if (timeout != null && seconds < timeout.getSeconds()) {
            log.warn("ban timeout capped address={} timeout={} capped_to={}s reason=\"ipset's largest timeout\"",
                    IpAddresses.format(address), Durations.format(timeout), seconds);
        }
        IpFamily family = IpFamily.of(address);
        String text = IpAddresses.format(address);
        CommandRunner.Result result = add(family.banSet, text, seconds);
        if (!result.ok() && result.stderr().contains("does not exist")) {
            log.warn("ban set missing, setting up again set={}", family.banSet);
            setUp();
            result = add(family.banSet, text, seconds);
        }
        if (!result.ok()) {
            if (result.stderr().contains("Hash is full")) {
                throw new FirewallException("ban set " + family.banSet + " is full (max-entries " + maxEntries
                        + "): cannot ban " + text + "; raise firewall.max-entries; " + result.describe());
            }
            throw new FirewallException("cannot ban " + text + ": " + result.describe());
        }
        conntrack.deleteFlowsFromSoon(address);
        log.info("ban applied address={} timeout={} backend=ipset", text,
                seconds == 0 ? "permanent" : Durations.format(Duration.ofSeconds(seconds)));
    }

    /** Through the long-lived {@code ipset -} when it answers, else as a command of its own. */
    private CommandRunner.Result add(String set, String text, long seconds) throws FirewallException {
        Optional<CommandRunner.Result> fast = session.add(set, text, seconds);
        if (fast.isPresent()) {
            return fast.get();
        }
        return runner.runAllowingFailure(null, "ipset", "add", "-exist", set, text, "timeout", Long.toString(seconds));
    }

    @Override
    public void unban(InetAddress address) throws FirewallException {
        IpFamily family = IpFamily.of(address);
        String text = IpAddresses.format(address);
        CommandRunner.Result result = runner.runAllowingFailure(null, "ipset", "del", "-exist", family.banSet, text);
        if (!result.ok() && !result.stderr().contains("does not exist")) {
            throw new FirewallException("cannot unban " + text + ": " + result.describe());
        }
        log.info("ban lifted address={} backend=ipset", text);
    }

    @Override
    public Set<String> listBanned() throws FirewallException {
        Set<String> banned = new LinkedHashSet<>();
        for (IpFamily family : IpFamily.values()) {
            CommandRunner.Result result = runner.runAllowingFailure(null, "ipset", "save", family.banSet);
            if (!result.ok()) {
                if (result.stderr().contains("does not exist")) {
                    continue;
                }
                throw new FirewallException("cannot list bans: " + result.describe());
            }
            String prefix = "add " + family.banSet + " ";
            for (String line : result.stdout().split("\n")) {
                if (line.startsWith(prefix)) {
                    String address = line.substring(prefix.length()).split(" ", 2)[0];
                    banned.add(IpAddresses.format(IpAddresses.parse(address)));
                }
            }
        }
        return Collections.unmodifiableSet(banned);
    }

    @Override
    public synchronized void tearDown() throws FirewallException {
        for (IpFamily family : IpFamily.values()) {
            removeRules(family);
        }
        for (IpFamily family : IpFamily.values()) {
            destroySet(family.banSet);
        }
        log.info("firewall torn down backend=ipset netns={}", runner.netns());
    }

    // --- sets ---

    private void ensureSet(IpFamily family) throws FirewallException {
        List<String> create = new ArrayList<>(List.of("ipset", "create", "-exist"));
        create.addAll(createArgs(family.banSet, family));
        CommandRunner.Result created = runner.runAllowingFailure(null, create.toArray(String[]::new));
        if (created.ok()) {
            return;
        }
        if (!created.stderr().contains("already exists")) {
            throw new FirewallException("cannot create ban set: " + created.describe());
        }
        resize(family); // it exists with other parameters: rebuild it with its entries and swap it in
    }

    /** A set of the configured size whose entries each have their own timeout (0: permanent). */
    private List<String> createArgs(String name, IpFamily family) {
        return List.of(name, "hash:ip", "family", family.ipsetFamily,
                "maxelem", Integer.toString(maxEntries), "timeout", "0");
    }

    /** Copies the set's entries (with their remaining timeouts) into a set of the new size and swaps it in. */
    private void resize(IpFamily family) throws FirewallException {
        String name = family.banSet;
        String saved = runner.run("ipset", "save", name);
        List<String> lines = saved.lines().toList();
        String header = lines.isEmpty() ? "" : lines.get(0);
        if (!header.startsWith("create " + name + " hash:ip family " + family.ipsetFamily + " ")
                || !header.contains(" timeout ")) {
            throw new FirewallException("set " + name + " exists but is not a " + family.ipsetFamily
                    + " hash:ip set with timeouts ('" + header + "'); remove it with 'ipset destroy " + name + "'");
        }
        String temporary = name + "-resize";
        runner.runAllowingFailure(null, "ipset", "destroy", temporary); // a leftover of an interrupted resize
        StringBuilder script = new StringBuilder();
        script.append("create ").append(String.join(" ", createArgs(temporary, family))).append('\n');
        int entries = 0;
        for (String line : lines) {
            if (line.startsWith("add " + name + " ")) {
                script.append("add ").append(temporary).append(line.substring(4 + name.length())).append('\n');
                entries++;
            }
        }
        script.append("swap ").append(temporary).append(' ').append(name).append('\n');
        script.append("destroy ").append(temporary).append('\n');
        CommandRunner.Result result = runner.runAllowingFailure(script.toString(), "ipset", "restore");
        if (!result.ok()) {
            runner.runAllowingFailure(null, "ipset", "destroy", temporary);
            throw new FirewallException("cannot resize ban set " + name + " to max-entries " + maxEntries
                    + " (it holds " + entries + " entries): " + result.describe());
        }
        log.info("ban set resized set={} max_entries={} entries_kept={} was=\"{}\"", name, maxEntries, entries, header);
    }

    private void destroySet(String name) throws FirewallException {
        CommandRunner.Result result = runner.runAllowingFailure(null, "ipset", "destroy", name);
        if (!result.ok() && !result.stderr().contains("does not exist")) {
            throw new FirewallException("cannot remove set " + name + ": " + result.describe());
        }
    }

    // --- rules ---

    /** Replaces our chain's rules in one iptables-restore (no moment without them) and jumps to it first. */
    private void installRules(IpFamily family) throws FirewallException {
        boolean jumpExists = runner.runAllowingFailure(null,
                family.iptables, "-w", "-t", "raw", "-C", "PREROUTING", "-j", CHAIN).ok();
        StringBuilder rules = new StringBuilder("*raw\n:" + CHAIN + " - [0:0]\n");
        for (String match : dropMatches(family.banSet)) {
            rules.append("-A ").append(CHAIN).append(' ').append(match).append(" -j DROP\n");
        }
        if (!jumpExists) {
            rules.append("-I PREROUTING 1 -j ").append(CHAIN).append('\n');
        }
        rules.append("COMMIT\n");
        runner.runWithInput(rules.toString(), family.restore, "-w", "--noflush");
    }

    /** The matches of the rules that drop traffic from a set: all of it, or the configured udp and tcp ports. */
    List<String> dropMatches(String set) {
        String setMatch = "-m set --match-set " + set + " src";
        if (ports.isEmpty()) {
            return List.of(setMatch);
        }
        List<String> matches = new ArrayList<>();
        for (String protocol : List.of("udp", "tcp")) {
            for (int i = 0; i < ports.size(); i += MULTIPORT_MAX) {
                String chunk = ports.subList(i, Math.min(ports.size(), i + MULTIPORT_MAX)).stream()
                        .map(String::valueOf).collect(Collectors.joining(","));
                matches.add("-p " + protocol + " -m multiport --dports " + chunk + " " + setMatch);
            }
        }
        return matches;
    }

    private void removeRules(IpFamily family) throws FirewallException {
        for (int i = 0; i < 100; i++) { // every jump, should there be several
            if (!runner.runAllowingFailure(null, family.iptables, "-w", "-t", "raw", "-D", "PREROUTING", "-j", CHAIN).ok()) {
                break;
            }
        }
        if (runner.runAllowingFailure(null, family.iptables, "-w", "-t", "raw", "-n", "-L", CHAIN).ok()) {
            runner.run(family.iptables, "-w", "-t", "raw", "-F", CHAIN);
            runner.run(family.iptables, "-w", "-t", "raw", "-X", CHAIN);
        }
    }
}
