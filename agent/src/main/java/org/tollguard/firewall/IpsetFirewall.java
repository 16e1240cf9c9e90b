package org.tollguard.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

/**
 * Bans with ipset: one {@code hash:ip} set per address family with per-entry timeouts, matched from a chain of
 * our own in the {@code raw} table (before connection tracking) that PREROUTING jumps to first.
 *
 * <p>Names: chain {@value #CHAIN} in iptables and ip6tables; sets {@value #BAN4} and {@value #BAN6}. Each
 * community list NAME has a {@code hash:net} set per family, {@code tollguard-list4-NAME} and
 * {@code tollguard-list6-NAME}, matched by rules in the same chain; it is replaced whole by loading
 * {@code tollguard-tmp4-NAME} in one {@code ipset restore} and exchanging the two with {@code ipset swap}, which
 * the kernel does atomically and which the rules follow by name.
 */
final class IpsetFirewall implements Firewall {
    private static final Logger log = LoggerFactory.getLogger(IpsetFirewall.class);

    static final String CHAIN = "TOLLGUARD";
    static final String BAN4 = "tollguard-ban4";
    static final String BAN6 = "tollguard-ban6";
    static final String LIST4 = "tollguard-list4-";
    static final String LIST6 = "tollguard-list6-";
    static final String TMP4 = "tollguard-tmp4-";
    static final String TMP6 = "tollguard-tmp6-";
    /** Loading a 400,000-entry list takes a few seconds; a loaded machine may need many more. */
    static final Duration LIST_TIMEOUT = Duration.ofMinutes(5);
    /** The largest per-entry timeout ipset accepts (UINT_MAX/2 ms), about 24.8 days. */
    static final long MAX_TIMEOUT_SECONDS = 2_147_483;
    private static final int MULTIPORT_MAX = 15;

    /** What differs between IPv4 and IPv6. */
    enum IpFamily {
        V4("inet", "iptables", "iptables-restore", BAN4, LIST4, TMP4),
        V6("inet6", "ip6tables", "ip6tables-restore", BAN6, LIST6, TMP6);

        final String ipsetFamily;
        final String iptables;
        final String restore;
        final String banSet;
        final String listPrefix;
        final String tmpPrefix;

        IpFamily(String ipsetFamily, String iptables, String restore, String banSet, String listPrefix, String tmpPrefix) {
            this.ipsetFamily = ipsetFamily;
            this.iptables = iptables;
            this.restore = restore;
            this.banSet = banSet;
            this.listPrefix = listPrefix;
            this.tmpPrefix = tmpPrefix;
        }

        static IpFamily of(InetAddress address) {
            return address instanceof Inet6Address ? V6 : V4;
        }
    }

    private final CommandRunner runner;
    private final IpsetSession session;
    private final CommandRunner listRunner;
    private final Conntrack conntrack;
    private final List<Integer> ports;
    private final int maxEntries;

    IpsetFirewall(CommandRunner runner, List<Integer> ports, int maxEntries) {
        this.runner = runner;
        this.session = new IpsetSession(runner);
        this.listRunner = runner.withTimeout(LIST_TIMEOUT);
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
            installRules(family, Set.of());
        }
        log.info("firewall set up backend=ipset sets={},{} chain=raw/{} ports={} max_entries={} netns={}",
                BAN4, BAN6, CHAIN, ports.isEmpty() ? "all" : ports, maxEntries, runner.netns());
    }

    @Override
    public List<String> damage() throws FirewallException {
        List<String> damage = new ArrayList<>();
        Set<String> sets = ourSets();
        for (IpFamily family : IpFamily.values()) {
            if (!sets.contains(family.banSet)) {
                damage.add("ipset " + family.banSet + " is gone");
            }
            CommandRunner.Result prerouting = runner.runAllowingFailure(null, family.iptables, "-w", "-t", "raw", "-S",
                    "PREROUTING");
            String first = prerouting.stdout().lines().filter(l -> l.startsWith("-A PREROUTING")).findFirst().orElse("");
            if (!first.equals("-A PREROUTING -j " + CHAIN)) {
                damage.add(family.iptables + " raw PREROUTING does not jump to " + CHAIN + " first"
                        + (first.isEmpty() ? " (no rules)" : " (first: " + first + ")"));
            }
            CommandRunner.Result chain = runner.runAllowingFailure(null, family.iptables, "-w", "-t", "raw", "-S", CHAIN);
            if (!chain.ok()) {
                damage.add(family.iptables + " raw chain " + CHAIN + " is gone");
            } else if (!chain.stdout().contains("--match-set " + family.banSet + " src")) {
                damage.add(family.iptables + " raw chain " + CHAIN + " no longer drops " + family.banSet);
            }
        }
        return damage;
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
        session.close();
        for (IpFamily family : IpFamily.values()) {
            removeRules(family);
        }
        for (IpFamily family : IpFamily.values()) {
            destroySet(family.banSet);
        }
        for (String set : ourSets()) {
            if (set.startsWith(LIST4) || set.startsWith(LIST6) || set.startsWith(TMP4) || set.startsWith(TMP6)) {
                destroySet(set);
            }
        }
        log.info("firewall torn down backend=ipset netns={}", runner.netns());
    }

    // --- community lists ---

    @Override
    public synchronized void replaceList(String name, Collection<Cidr> networks) throws FirewallException {
        Firewall.checkListName(name);
        long start = System.nanoTime();
        int ipv6 = 0;
        for (Cidr c : networks) {
            if (c.isIpv6()) {
                ipv6++;
            }
        }
        int v6 = ipv6;
        int v4 = networks.size() - v6;
        for (IpFamily family : IpFamily.values()) {
            // a leftover of an interrupted load would be loaded into, not replaced
            destroySet(family.tmpPrefix + name);
        }
        Set<String> before = ourSets();
        CommandRunner.Input script = out -> {
            for (IpFamily family : IpFamily.values()) {
                int count = family == IpFamily.V4 ? v4 : v6;
                String tmp = family.tmpPrefix + name;
                out.write("create " + tmp + " " + listSetArgs(family, count) + "\n");
                String add = "add " + tmp + " ";
                for (Cidr c : networks) {
                    if (c.isIpv6() == (family == IpFamily.V6)) {
                        out.write(add);
                        out.write(c.toString());
                        out.write('\n');
                    }
                }
                out.write("create " + family.listPrefix + name + " " + listSetArgs(family, 0) + "\n");
            }
            for (IpFamily family : IpFamily.values()) {
                out.write("swap " + family.tmpPrefix + name + " " + family.listPrefix + name + "\n");
            }
        };
        CommandRunner.Result result = listRunner.runStreaming(script, "ipset", "-exist", "restore");
        for (IpFamily family : IpFamily.values()) {
            destroySet(family.tmpPrefix + name);
        }
        if (!result.ok()) {
            throw new FirewallException("cannot load list " + name + " (" + networks.size() + " networks): "
                    + result.describe());
        }
        for (IpFamily family : IpFamily.values()) {
            if (!before.contains(family.listPrefix + name)) {
                installRules(family, Set.of()); // a new list: match it
            }
        }
        log.info("list replaced list={} networks={} ipv4={} ipv6={} backend=ipset elapsed_ms={}", name,
                networks.size(), v4, v6, (System.nanoTime() - start) / 1_000_000);
    }

    /** hash:net sized for the list: room for max-entries, buckets for its size so loading does not rehash. */
    private String listSetArgs(IpFamily family, int count) {
        int hashsize = 1024;
        while (hashsize < count / 2 && hashsize < (1 << 22)) {
            hashsize <<= 1;
        }
        return "hash:net family " + family.ipsetFamily + " hashsize " + hashsize + " maxelem "
                + Math.max(maxEntries, count);
    }

    @Override
    public synchronized void updateList(String name, Collection<Cidr> add, Collection<Cidr> remove)
            throws FirewallException {
        Firewall.checkListName(name);
        CommandRunner.Input script = out -> {
            for (Cidr c : remove) {
                out.write("del " + (c.isIpv6() ? LIST6 : LIST4) + name + " " + c + "\n");
            }
            for (Cidr c : add) {
                out.write("add " + (c.isIpv6() ? LIST6 : LIST4) + name + " " + c + "\n");
            }
        };
        // one process, no look-up first: an incremental update is on the clock (100 addresses in well under 100 ms)
        CommandRunner.Result result = listRunner.runStreaming(script, "ipset", "-exist", "restore");
        if (!result.ok()) {
            if (result.stderr().contains("does not exist")) {
                throw new FirewallException("list " + name + " is not in the kernel; load it whole first");
            }
            throw new FirewallException("cannot update list " + name + ": " + result.describe());
        }
        log.debug("list updated list={} added={} removed={} backend=ipset", name, add.size(), remove.size());
    }

    @Override
    public long listSize(String name) throws FirewallException {
        Firewall.checkListName(name);
        long total = 0;
        boolean any = false;
        for (IpFamily family : IpFamily.values()) {
            CommandRunner.Result result = runner.runAllowingFailure(null, "ipset", "list", "-t", family.listPrefix + name);
            if (!result.ok()) {
                if (result.stderr().contains("does not exist")) {
                    continue;
                }
                throw new FirewallException("cannot read list " + name + ": " + result.describe());
            }
            any = true;
            for (String line : result.stdout().split("\n")) {
                if (line.startsWith("Number of entries:")) {
                    total += Long.parseLong(line.substring("Number of entries:".length()).strip());
                }
            }
        }
        return any ? total : -1;
    }

    @Override
    public Set<String> listNames() throws FirewallException {
        Set<String> names = new TreeSet<>();
        for (String set : ourSets()) {
            for (IpFamily family : IpFamily.values()) {
                if (set.startsWith(family.listPrefix)) {
                    names.add(set.substring(family.listPrefix.length()));
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    @Override
    public synchronized void removeList(String name) throws FirewallException {
        Firewall.checkListName(name);
        for (IpFamily family : IpFamily.values()) {
            if (ourSets().contains(family.listPrefix + name)) {
                installRules(family, Set.of(family.listPrefix + name));
            }
            destroySet(family.listPrefix + name);
            destroySet(family.tmpPrefix + name);
        }
        log.info("list removed list={} backend=ipset", name);
    }

    /** The names of the kernel's sets that are ours. */
    private Set<String> ourSets() throws FirewallException {
        Set<String> sets = new TreeSet<>();
        for (String line : runner.run("ipset", "list", "-n").split("\n")) {
            if (line.startsWith("tollguard-")) {
                sets.add(line.strip());
            }
        }
        return sets;
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

    /**
     * Replaces our chain's rules in one iptables-restore (no moment without them) and jumps to it first: the ban
     * set's rules, then those of every community list set of the family in the kernel, but {@code exclude}.
     */
    private void installRules(IpFamily family, Set<String> exclude) throws FirewallException {
        boolean jumpExists = runner.runAllowingFailure(null,
                family.iptables, "-w", "-t", "raw", "-C", "PREROUTING", "-j", CHAIN).ok();
        StringBuilder rules = new StringBuilder("*raw\n:" + CHAIN + " - [0:0]\n");
        List<String> sets = new ArrayList<>(List.of(family.banSet));
        for (String set : ourSets()) {
            if (set.startsWith(family.listPrefix) && !exclude.contains(set)) {
                sets.add(set);
            }
        }
        for (String set : sets) {
            for (String match : dropMatches(set)) {
                rules.append("-A ").append(CHAIN).append(' ').append(match).append(" -j DROP\n");
            }
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
