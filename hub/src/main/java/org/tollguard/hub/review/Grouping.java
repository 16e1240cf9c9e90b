package org.tollguard.hub.review;

import java.util.Locale;

/**
 * How the queue groups addresses: one by one, by block (/24, /48 for IPv6) so that a botnet block is one
 * decision, or by wider network (/16, /32 for IPv6). The hub has no routing data, so "network" is a fixed prefix.
 */
public enum Grouping {
    ADDRESS(32, 128, "address", "address"),
    BLOCK(24, 48, "/24 (IPv6 /48)", "block"),
    NETWORK(16, 32, "/16 (IPv6 /32)", "network");

    private final int v4;
    private final int v6;
    private final String label;
    private final String summaryColumn;

    Grouping(int v4, int v6, String label, String summaryColumn) {
        this.v4 = v4;
        this.v6 = v6;
        this.label = label;
        this.summaryColumn = summaryColumn;
    }

    public String label() {
        return label;
    }

    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The group's key for the address in column {@code column}, as a cidr. */
    String keySql(String column) {
        return "network(set_masklen(" + column + ", case when family(" + column + ") = 4 then " + v4 + " else "
                + v6 + " end))";
    }

    /** The queue_site column holding this key (migration V204 computes it as {@link #keySql} does). */
    String summaryColumn() {
        return summaryColumn;
    }

    public static Grouping parse(String text) {
        for (Grouping g : values()) {
            if (g.param().equals(text)) {
                return g;
            }
        }
        return ADDRESS;
    }
}
