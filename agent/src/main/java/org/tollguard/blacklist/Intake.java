package org.tollguard.blacklist;

/**
 * Where a parser puts what it reads: each network is checked ({@link ListSanity}) and either kept or counted as
 * dropped; lines that are no network are counted as malformed. Refuses to grow past the firewall's set size.
 */
final class Intake {
    private final ListSanity sanity;
    private final int maxEntries;
    private final long now;
    private final NetList.Builder builder = NetList.builder();
    private final ListSanity.Drops drops = new ListSanity.Drops();
    private int seen;

    /**
     * @param maxEntries     the most entries a list may have (the firewall's set size)
     * @param nowEpochSecond entries that expired before this are dropped
     */
    Intake(ListSanity sanity, int maxEntries, long nowEpochSecond) {
        this.sanity = sanity;
        this.maxEntries = maxEntries;
        this.now = nowEpochSecond;
    }

    /** A line or element that is not a network. */
    void malformed(String text) {
        seen++;
        drops.count(ListSanity.MALFORMED, text);
    }

    /** Checks the parsed network and keeps it unless it is refused; true if kept. */
    boolean add(NetParser p, long expiresEpochSecond, String reason) throws ListException {
        seen++;
        if (expiresEpochSecond != 0 && expiresEpochSecond <= now) {
            drops.count(ListSanity.EXPIRED, Net.format(p.v6, p.hi, p.lo, p.prefix));
            return false;
        }
        String why = sanity.check(p.v6, p.hi, p.lo, p.prefix);
        if (why != null) {
            drops.count(why, Net.format(p.v6, p.hi, p.lo, p.prefix));
            return false;
        }
        if (builder.size() >= maxEntries) {
            throw new ListException("the list has more than " + maxEntries + " entries (firewall.max-entries)");
        }
        builder.add(p.v6, p.hi, p.lo, p.prefix, expiresEpochSecond, reason);
        return true;
    }

    /** Like {@link #add(NetParser, long, String)} for one incremental addition; null if refused. */
    Net check(NetParser p, long expiresEpochSecond) {
        seen++;
        String why = expiresEpochSecond != 0 && expiresEpochSecond <= now ? ListSanity.EXPIRED
                : sanity.check(p.v6, p.hi, p.lo, p.prefix);
        if (why != null) {
            drops.count(why, Net.format(p.v6, p.hi, p.lo, p.prefix));
            return null;
        }
        return p.toNet();
    }

    /** Lines or elements read so far, kept or not. */
    int seen() {
        return seen;
    }

    int kept() {
        return builder.size();
    }

    ListSanity.Drops drops() {
        return drops;
    }

    /**
     * The list, or an exception if the body was mostly not addresses (an HTML error page, a captive portal): more
     * than half of the data lines malformed.
     */
    NetList build() throws ListException {
        int malformed = drops.get(ListSanity.MALFORMED);
        if (malformed > 0 && malformed * 2 > seen) {
            throw new ListException("not a list: " + malformed + " of " + seen + " lines are not addresses (e.g. "
                    + drops.examples().getOrDefault(ListSanity.MALFORMED, java.util.List.of()) + ")");
        }
        NetList list = builder.build();
        if (builder.duplicates() > 0) {
            drops.add(ListSanity.DUPLICATE, builder.duplicates());
        }
        return list;
    }
}
