package org.tollguard.firewall;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

/**
 * Decides and records, changes nothing: for a trial run beside an existing fail2ban, or a PBX whose firewall is
 * managed elsewhere. Remembers its bans in memory, with their expiry, so that {@link #listBanned()} shows what
 * would be blocked now.
 */
final class LogOnlyFirewall implements Firewall {
    private static final Logger log = LoggerFactory.getLogger(LogOnlyFirewall.class);
    private static final int PRUNE_EVERY = 1024;

    private final Clock clock;
    private final Map<String, Instant> banned = new ConcurrentHashMap<>(); // Instant.MAX: permanent
    /** Community lists: only their sizes, a log-only agent has no use for 400,000 addresses in memory. */
    private final Map<String, Long> lists = new ConcurrentHashMap<>();

    LogOnlyFirewall() {
        this(Clock.systemUTC());
    }

    LogOnlyFirewall(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public List<String> damage() {
        return List.of(); // nothing in the kernel to lose
    }

    @Override
    public void setUp() {
        log.info("firewall set up backend=log enforcing=false");
    }

    @Override
    public void ban(InetAddress address, Duration timeout) throws FirewallException {
        BanTargets.checkBannable(address);
        long seconds = BanTargets.seconds(timeout, Long.MAX_VALUE / 1000);
        String text = IpAddresses.format(address);
        banned.put(text, seconds == 0 ? Instant.MAX : clock.instant().plusSeconds(seconds));
        if (banned.size() % PRUNE_EVERY == 0) {
            prune();
        }
        log.info("ban recorded, not enforced address={} timeout={} backend=log", text,
                seconds == 0 ? "permanent" : Durations.format(Duration.ofSeconds(seconds)));
    }

    @Override
    public void unban(InetAddress address) {
        String text = IpAddresses.format(address);
        banned.remove(text);
        log.info("ban lifted, was not enforced address={} backend=log", text);
    }

    @Override
    public Set<String> listBanned() {
        prune();
        return banned.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void replaceList(String name, Collection<Cidr> networks) {
        Firewall.checkListName(name);
        lists.put(name, (long) networks.size());
        log.info("list recorded, not enforced list={} networks={} backend=log", name, networks.size());
    }

    @Override
    public void updateList(String name, Collection<Cidr> add, Collection<Cidr> remove) throws FirewallException {
        Firewall.checkListName(name);
        if (!lists.containsKey(name)) {
            throw new FirewallException("list " + name + " is not loaded; load it whole first");
        }
        // the caller sends only real changes, so the size follows exactly
        lists.merge(name, (long) add.size() - remove.size(), (a, b) -> Math.max(0, a + b));
        log.info("list update recorded, not enforced list={} added={} removed={} backend=log", name, add.size(),
                remove.size());
    }

    @Override
    public long listSize(String name) {
        return lists.getOrDefault(name, -1L);
    }

    @Override
    public Set<String> listNames() {
        return Set.copyOf(new TreeSet<>(lists.keySet()));
    }

    @Override
    public void removeList(String name) {
        lists.remove(name);
    }

    @Override
    public void tearDown() {
        banned.clear();
        lists.clear();
        log.info("firewall torn down backend=log");
    }

    private void prune() {
        Instant now = clock.instant();
        banned.values().removeIf(expiry -> !expiry.isAfter(now));
    }
}
