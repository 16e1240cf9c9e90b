package org.tollguard.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

/**
 * Bans with nftables: a table of our own, {@code inet tollguard}, holding one timeout set per address family and a
 * chain hooked at prerouting with priority {@code raw} (before connection tracking) that drops their traffic.
 * Every change is one transaction: a ban on one line of a long-lived {@code nft -i} ({@link NftSession}), the rest
 * through {@code nft -f -}.
 *
 * <p>Names: sets {@value #BAN4} and {@value #BAN6}. Each community list NAME is a chain {@code list-NAME}, jumped to
 * from our prerouting chain, with one plain hash set per address family and prefix length, {@code l4-NAME-24},
 * {@code l6-NAME-48}, each matched by {@code ip saddr & MASK @set}, the way ipset's {@code hash:net} works inside.
 * Not an interval set: with nftables 1.0.6 (Debian 12) a large interval set anywhere in the ruleset makes every
 * later {@code nft} element command fetch all of its elements first, so one 400,000-entry interval set turned each
 * ban from milliseconds into 10-20 seconds. A list is replaced in one transaction (flush its chain, drop its sets,
 * create and fill the new ones, add the rules), which the kernel applies atomically.
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
    static final String LIST_CHAIN = "list-";
    private static final Pattern LIST_SET = Pattern.compile("l([46])-([a-z0-9][a-z0-9-]*)-(\\d{1,3})");
    /** Elements per {@code add element} command. */
    private static final int CHUNK = 5000;
    static final Duration LIST_TIMEOUT = Duration.ofMinutes(5);

    private final CommandRunner runner;
    private final NftSession session;
    private final CommandRunner listRunner;
    private final Conntrack conntrack;
    /** The sets of each list as this firewall last made them, so an incremental update needs no look-up first. */
    private final Map<String, Set<String>> listSets = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Integer> ports;
    private final int maxEntries;

    NftablesFirewall(CommandRunner runner, List<Integer> ports, int maxEntries) {
        this.runner = runner;
        this.listRunner = runner.withTimeout(LIST_TIMEOUT);
        this.conntrack = new Conntrack(runner);
        this.session = new NftSession(runner);
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
    public List<String> damage() throws FirewallException {
        CommandRunner.Result chain = runner.runAllowingFailure(null, "nft", "list", "chain", "inet", "tollguard", CHAIN);
        if (!chain.ok()) {
            return List.of("nft table " + TABLE + " or its chain " + CHAIN + " is gone");
        }
        List<String> damage = new ArrayList<>();
        for (String set : List.of(BAN4, BAN6)) {
            if (!chain.stdout().contains("@" + set)) {
                damage.add("nft chain " + CHAIN + " no longer drops @" + set);
            }
        }
        return damage;
    }

    @Override
    public synchronized void setUp() throws FirewallException {
        TableInfo table = tableInfo();
        Map<String, Integer> sizes = table == null ? Map.of() : table.setSizes;
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
        if (table != null) {
            for (String list : table.lists()) {
                script.append("add rule ").append(TABLE).append(' ').append(CHAIN).append(" jump ")
                        .append(LIST_CHAIN).append(list).append('\n');
            }
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
        String transaction = "add element " + TABLE + " " + set + " " + element
                + " ; delete element " + TABLE + " " + set + " { " + text + " }"
                + " ; add element " + TABLE + " " + set + " " + element;
        CommandRunner.Result result = add(transaction);
        if (!result.ok() && result.stderr().contains(MISSING)) {
            log.warn("table or ban set missing, setting up again table=\"{}\" set={}", TABLE, set);
            setUp();
            result = add(transaction);
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

    /** Through the long-lived {@code nft -i} when it answers, else as a command of its own. */
    private CommandRunner.Result add(String transaction) throws FirewallException {
        Optional<CommandRunner.Result> fast = session.apply(transaction);
        if (fast.isPresent()) {
            return fast.get();
        }
        return runner.runAllowingFailure(transaction + "\n", "nft", "-f", "-");
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
        listSets.clear();
        session.close();
        runner.runWithInput("add table " + TABLE + "\ndelete table " + TABLE + "\n", "nft", "-f", "-");
        log.info("firewall torn down backend=nftables netns={}", runner.netns());
    }

    private static String setOf(InetAddress address) {
        return address instanceof Inet6Address ? BAN6 : BAN4;
    }

    /**
     * Our table's sets (with their sizes) and chains, without elements; null if the table is not there. Read with
     * {@code list chains} and {@code list sets -t}: nft 1.0.6 fetches every set element for {@code list table},
     * even with {@code -t}, which takes seconds once a community list is loaded.
     */
    private TableInfo tableInfo() throws FirewallException {
        TableInfo info = new TableInfo();
        String table = TABLE.substring(TABLE.indexOf(' ') + 1);
        for (JsonNode item : listing("nft", "-j", "list", "chains", "inet").path("nftables")) {
            JsonNode chain = item.get("chain");
            if (chain != null && table.equals(chain.path("table").asText())) {
                info.chains.add(chain.path("name").asText());
            }
        }
        for (JsonNode item : listing("nft", "-j", "-t", "list", "sets", "inet").path("nftables")) {
            JsonNode set = item.get("set");
            if (set != null && table.equals(set.path("table").asText())) {
                info.setSizes.put(set.path("name").asText(), set.path("size").asInt(0));
            }
        }
        return info.chains.isEmpty() && info.setSizes.isEmpty() ? null : info;
    }

    private JsonNode listing(String... command) throws FirewallException {
        CommandRunner.Result result = runner.runAllowingFailure(null, command);
        if (!result.ok()) {
            throw new FirewallException("cannot read our nftables state: " + result.describe());
        }
        return parse(result);
    }

    private static final class TableInfo {
        final Map<String, Integer> setSizes = new HashMap<>();
        final Set<String> chains = new TreeSet<>();

        Set<String> lists() {
            Set<String> names = new TreeSet<>();
            for (String chain : chains) {
                if (chain.startsWith(LIST_CHAIN)) {
                    names.add(chain.substring(LIST_CHAIN.length()));
                }
            }
            return names;
        }

        /** The list's sets by name. */
        Set<String> setsOf(String list) {
            Set<String> sets = new TreeSet<>();
            for (String set : setSizes.keySet()) {
                Matcher m = LIST_SET.matcher(set);
                if (m.matches() && m.group(2).equals(list)) {
                    sets.add(set);
                }
            }
            return sets;
        }
    }

    // --- community lists ---

    private static String listSet(boolean v6, String list, int prefix) {
        return "l" + (v6 ? 6 : 4) + "-" + list + "-" + prefix;
    }

    /** The rule that drops what matches the set: address masked to the set's prefix length. */
    private String listRule(boolean v6, String list, int prefix) {
        String portMatch = ports.isEmpty() ? "" : "meta l4proto { tcp, udp } th dport { "
                + ports.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " } ";
        String field = v6 ? "ip6 saddr" : "ip saddr";
        String mask = prefix == (v6 ? 128 : 32) ? "" : " & " + mask(v6, prefix);
        return portMatch + field + mask + " @" + listSet(v6, list, prefix) + " drop";
    }

    private static String mask(boolean v6, int prefix) {
        byte[] bytes = new byte[v6 ? 16 : 4];
        for (int i = 0; i < bytes.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            bytes[i] = (byte) (0xff << (8 - bits));
        }
        return IpAddresses.format(IpAddresses.fromBytes(bytes));
    }

    /** Networks grouped by set, as {@code add element} commands of {@link #CHUNK} elements. */
    private static Map<String, StringBuilder> elementCommands(String list, Collection<Cidr> networks, String verb) {
        Map<String, StringBuilder> bySet = new TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Set<Cidr> seen = networks instanceof Set<?> ? null : new java.util.HashSet<>();
        for (Cidr c : networks) {
            if (seen != null && networks.size() < 100_000 && !seen.add(c)) {
                continue; // the same element twice in one delete command is an error
            }
            String set = listSet(c.isIpv6(), list, c.prefixLength());
            StringBuilder sb = bySet.computeIfAbsent(set, k -> new StringBuilder());
            int n = counts.merge(set, 1, Integer::sum);
            if (n % CHUNK == 1) {
                if (n > 1) {
                    sb.append(" }\n");
                }
                sb.append(verb).append(" element ").append(TABLE).append(' ').append(set).append(" { ");
            } else {
                sb.append(", ");
            }
            sb.append(IpAddresses.format(c.network()));
        }
        bySet.values().forEach(sb -> sb.append(" }\n"));
        return bySet;
    }

    @Override
    public synchronized void replaceList(String name, Collection<Cidr> networks) throws FirewallException {
        Firewall.checkListName(name);
        long start = System.nanoTime();
        TableInfo table = tableInfo();
        if (table == null) {
            setUp();
            table = tableInfo();
        }
        String chain = LIST_CHAIN + name;
        Map<String, StringBuilder> elements = elementCommands(name, networks, "add");
        TableInfo current = table;
        CommandRunner.Input script = out -> {
            out.write("add chain " + TABLE + " " + chain + "\n");
            out.write("flush chain " + TABLE + " " + chain + "\n");
            for (String set : current.setsOf(name)) {
                out.write("delete set " + TABLE + " " + set + "\n");
            }
            for (Map.Entry<String, StringBuilder> e : elements.entrySet()) {
                Matcher m = LIST_SET.matcher(e.getKey());
                m.matches();
                boolean v6 = m.group(1).equals("6");
                out.write("add set " + TABLE + " " + e.getKey() + " { type " + (v6 ? "ipv6_addr" : "ipv4_addr") + "; }\n");
                out.append(e.getValue());
                out.write("add rule " + TABLE + " " + chain + " "
                        + listRule(v6, name, Integer.parseInt(m.group(3))) + "\n");
            }
            if (!current.chains.contains(chain)) {
                out.write("add rule " + TABLE + " " + CHAIN + " jump " + chain + "\n");
            }
        };
        CommandRunner.Result result = listRunner.runStreaming(script, "nft", "-f", "-");
        if (!result.ok()) {
            throw new FirewallException("cannot load list " + name + " (" + networks.size() + " networks): "
                    + result.describe());
        }
        listSets.put(name, new TreeSet<>(elements.keySet()));
        log.info("list replaced list={} networks={} sets={} backend=nftables elapsed_ms={}", name, networks.size(),
                elements.size(), (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public synchronized void updateList(String name, Collection<Cidr> add, Collection<Cidr> remove)
            throws FirewallException {
        Firewall.checkListName(name);
        String chain = LIST_CHAIN + name;
        Set<String> known = listSets.get(name);
        Set<String> sets;
        if (known != null) {
            sets = new TreeSet<>(known);
        } else {
            TableInfo table = tableInfo();
            if (table == null || !table.chains.contains(chain)) {
                throw new FirewallException("list " + name + " is not in the kernel; load it whole first");
            }
            sets = table.setsOf(name);
        }
        Set<String> after = new TreeSet<>(sets);
        StringBuilder script = new StringBuilder();
        for (Map.Entry<String, StringBuilder> e : elementCommands(name, remove, "add").entrySet()) {
            if (sets.contains(e.getKey())) {
                // add first, so that deleting one that is not there is no error
                script.append(e.getValue());
                script.append(e.getValue().toString().replace("add element ", "delete element "));
            }
        }
        for (Map.Entry<String, StringBuilder> e : elementCommands(name, add, "add").entrySet()) {
            if (!sets.contains(e.getKey())) {
                after.add(e.getKey());
                Matcher m = LIST_SET.matcher(e.getKey());
                m.matches();
                boolean v6 = m.group(1).equals("6");
                script.append("add set ").append(TABLE).append(' ').append(e.getKey()).append(" { type ")
                        .append(v6 ? "ipv6_addr" : "ipv4_addr").append("; }\n");
                script.append("add rule ").append(TABLE).append(' ').append(chain).append(' ')
                        .append(listRule(v6, name, Integer.parseInt(m.group(3)))).append('\n');
            }
            script.append(e.getValue());
        }
        if (script.length() == 0) {
            return;
        }
        CommandRunner.Result result = listRunner.runAllowingFailure(script.toString(), "nft", "-f", "-");
        if (!result.ok()) {
            listSets.remove(name); // look again next time
            if (result.stderr().contains(MISSING) && known != null && tableInfo() != null
                    && !tableInfo().chains.contains(chain)) {
                throw new FirewallException("list " + name + " is not in the kernel; load it whole first");
            }
            throw new FirewallException("cannot update list " + name + ": " + result.describe());
        }
        listSets.put(name, after);
        log.debug("list updated list={} added={} removed={} backend=nftables", name, add.size(), remove.size());
    }

    @Override
    public long listSize(String name) throws FirewallException {
        Firewall.checkListName(name);
        TableInfo table = tableInfo();
        if (table == null || !table.chains.contains(LIST_CHAIN + name)) {
            return -1;
        }
        long total = 0;
        for (String set : table.setsOf(name)) {
            // a 400,000-element listing takes seconds
            CommandRunner.Result result = listRunner.runAllowingFailure(null, "nft", "-j", "list", "set", TABLE, set);
            if (!result.ok()) {
                throw new FirewallException("cannot count list " + name + ": " + result.describe());
            }
            for (JsonNode item : parse(result).path("nftables")) {
                if (item.has("set")) {
                    total += item.get("set").path("elem").size();
                }
            }
        }
        return total;
    }

    @Override
    public Set<String> listNames() throws FirewallException {
        TableInfo table = tableInfo();
        return table == null ? Set.of() : Collections.unmodifiableSet(table.lists());
    }

    @Override
    public synchronized void removeList(String name) throws FirewallException {
        Firewall.checkListName(name);
        TableInfo table = tableInfo();
        String chain = LIST_CHAIN + name;
        if (table == null || !table.chains.contains(chain)) {
            return;
        }
        StringBuilder script = new StringBuilder();
        script.append("flush chain ").append(TABLE).append(' ').append(CHAIN).append('\n');
        for (String rule : rules()) {
            script.append("add rule ").append(TABLE).append(' ').append(CHAIN).append(' ').append(rule).append('\n');
        }
        for (String list : table.lists()) {
            if (!list.equals(name)) {
                script.append("add rule ").append(TABLE).append(' ').append(CHAIN).append(" jump ")
                        .append(LIST_CHAIN).append(list).append('\n');
            }
        }
        script.append("flush chain ").append(TABLE).append(' ').append(chain).append('\n');
        script.append("delete chain ").append(TABLE).append(' ').append(chain).append('\n');
        for (String set : table.setsOf(name)) {
            script.append("delete set ").append(TABLE).append(' ').append(set).append('\n');
        }
        runner.runWithInput(script.toString(), "nft", "-f", "-");
        listSets.remove(name);
        log.info("list removed list={} backend=nftables", name);
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
