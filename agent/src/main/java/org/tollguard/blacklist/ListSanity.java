package org.tollguard.blacklist;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.net.Cidr;

/**
 * What is never taken from a community list: networks wider than the configured prefix lengths, loopback,
 * unspecified, multicast and reserved space, private and link-local networks (unless allowed), anything that
 * holds one of the host's own addresses, and anything that overlaps the allowlist. Also decides whether a list
 * shrank too much to be believed.
 */
public final class ListSanity {
    /** Why an entry was dropped; the keys of {@link Drops}. */
    public static final String MALFORMED = "malformed";
    public static final String TOO_WIDE = "too-wide";
    public static final String LOOPBACK = "loopback";
    public static final String UNSPECIFIED = "unspecified";
    public static final String MULTICAST = "multicast";
    public static final String RESERVED = "reserved";
    public static final String PRIVATE = "private";
    public static final String LINK_LOCAL = "link-local";
    public static final String OWN_ADDRESS = "own-address";
    public static final String ALLOWLIST = "allowlist";
    public static final String EXPIRED = "expired";
    /** Not dropped as such: the same network twice, merged into one entry. */
    public static final String DUPLICATE = "duplicate";

    private record Range(Net net, String why) {}

    private static final List<Range> SPECIAL = List.of(
            range("0.0.0.0/8", UNSPECIFIED),
            range("127.0.0.0/8", LOOPBACK),
            range("10.0.0.0/8", PRIVATE),
            range("172.16.0.0/12", PRIVATE),
            range("192.168.0.0/16", PRIVATE),
            range("100.64.0.0/10", PRIVATE),
            range("169.254.0.0/16", LINK_LOCAL),
            range("224.0.0.0/4", MULTICAST),
            range("240.0.0.0/4", RESERVED),
            range("::/128", UNSPECIFIED),
            range("::1/128", LOOPBACK),
            range("::/8", RESERVED),
            range("fc00::/7", PRIVATE),
            range("fe80::/10", LINK_LOCAL),
            range("ff00::/8", MULTICAST));

    private final int widestV4;
    private final int widestV6;
    private final boolean allowPrivate;
    private final double maxShrink;
    private final List<Net> own;
    private final List<Net> allowlist;

    /**
     * @param ownAddresses the host's addresses (and the PBX's): a list entry holding one of them is dropped
     * @param allowlist    networks never blocked: a list entry overlapping one is dropped
     */
    public ListSanity(BlacklistConfig.Sanity config, Collection<InetAddress> ownAddresses, Collection<Cidr> allowlist) {
        this.widestV4 = config.widestIpv4();
        this.widestV6 = config.widestIpv6();
        this.allowPrivate = config.allowPrivate();
        this.maxShrink = config.maxShrink();
        this.own = ownAddresses.stream().map(Net::of).toList();
        this.allowlist = allowlist.stream().map(Net::of).toList();
    }

    private static Range range(String cidr, String why) {
        return new Range(Net.of(Cidr.parse(cidr)), why);
    }

    /** Why the network may not be applied, or null if it may. */
    String check(boolean v6, long hi, long lo, int prefix) {
        if (prefix < (v6 ? widestV6 : widestV4)) {
            return TOO_WIDE;
        }
        for (Range r : SPECIAL) {
            if (r.net.overlaps(v6, hi, lo, prefix)) {
                if (allowPrivate && (r.why.equals(PRIVATE) || r.why.equals(LINK_LOCAL))) {
                    continue;
                }
                return r.why;
            }
        }
        for (Net n : own) {
            if (n.overlaps(v6, hi, lo, prefix)) {
                return OWN_ADDRESS;
            }
        }
        for (Net n : allowlist) {
            if (n.overlaps(v6, hi, lo, prefix)) {
                return ALLOWLIST;
            }
        }
        return null;
    }

    String check(Net n) {
        return check(n.v6(), n.hi(), n.lo(), n.prefix());
    }

    /** Drops from {@code list} what {@link #check} refuses, counting into {@code drops}; the same list if nothing is. */
    public NetList filter(NetList list, Drops drops) {
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String why = check(list.net(i));
            if (why != null) {
                drops.count(why, list.text(i));
                refused.add(i);
            }
        }
        if (refused.isEmpty()) {
            return list;
        }
        List<NetList.Change> removals = new ArrayList<>(refused.size());
        for (int i : refused) {
            removals.add(new NetList.Change(false, list.net(i), 0, null));
        }
        return list.apply(removals);
    }

    /**
     * Null if a list of {@code newSize} may replace one of {@code lastGoodSize}; otherwise why not.
     */
    public String shrinkRefusal(int lastGoodSize, int newSize) {
        if (lastGoodSize == 0 || newSize >= lastGoodSize) {
            return null;
        }
        double shrink = 1.0 - (double) newSize / lastGoodSize;
        if (shrink > maxShrink) {
            return String.format(java.util.Locale.ROOT, "the list shrank by %.0f%% (%d entries, the last good one"
                    + " had %d), more than max-shrink %.0f%%", shrink * 100, newSize, lastGoodSize, maxShrink * 100);
        }
        return null;
    }

    /** Counts of dropped entries by reason, with a few examples of each for the log. */
    public static final class Drops {
        private static final int EXAMPLES = 3;
        private final Map<String, Integer> counts = new TreeMap<>();
        private final Map<String, List<String>> examples = new TreeMap<>();

        public void count(String why, String example) {
            counts.merge(why, 1, Integer::sum);
            List<String> e = examples.computeIfAbsent(why, k -> new ArrayList<>(EXAMPLES));
            if (e.size() < EXAMPLES && example != null) {
                e.add(example.length() > 60 ? example.substring(0, 60) + "..." : example);
            }
        }

        public void add(String why, int n) {
            counts.merge(why, n, Integer::sum);
        }

        public int get(String why) {
            return counts.getOrDefault(why, 0);
        }

        /** Entries dropped, duplicates not counted (they are merged, not lost). */
        public int total() {
            return counts.entrySet().stream().filter(e -> !e.getKey().equals(DUPLICATE))
                    .mapToInt(Map.Entry::getValue).sum();
        }

        public Map<String, Integer> counts() {
            return Map.copyOf(counts);
        }

        public Map<String, List<String>> examples() {
            return Map.copyOf(examples);
        }

        public void addAll(Drops other) {
            other.counts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
            other.examples.forEach((k, v) -> {
                List<String> e = examples.computeIfAbsent(k, x -> new ArrayList<>(EXAMPLES));
                for (String s : v) {
                    if (e.size() < EXAMPLES) {
                        e.add(s);
                    }
                }
            });
        }

        @Override
        public String toString() {
            return counts.toString();
        }
    }
}
