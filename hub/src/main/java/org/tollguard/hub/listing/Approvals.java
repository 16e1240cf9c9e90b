package org.tollguard.hub.listing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.review.Allowlist;

/**
 * Puts networks on the list (and takes them off), each recorded with who approved it ({@code operator:NAME}) or
 * which rule did ({@code rule:...}). The next publication takes the change into a generation. A network on the
 * review pages' allowlist is never listed, by anyone.
 */
public final class Approvals {
    private final Database db;
    private final String list;
    private final NewListings newListings;

    public Approvals(Database db, String list) {
        this(db, list, NewListings.NONE);
    }

    /** {@code newListings} hears of every network newly put on the list, by anyone, in the same transaction. */
    public Approvals(Database db, String list, NewListings newListings) {
        this.db = db;
        this.list = list;
        this.newListings = newListings;
    }

    public String list() {
        return list;
    }

    /** An operator's approval: lists the network, or renews its reason and expiry if it is listed. */
    public void approve(String network, String approvedBy, String reason, Instant expires) throws SQLException {
        db.transaction(c -> {
            Optional<String> allowed = Allowlist.covering(c, network);
            if (allowed.isPresent()) {
                throw new IllegalArgumentException(network + " is never listed: it is on the allowlist, " + allowed.get());
            }
            try (PreparedStatement s = c.prepareStatement("insert into listed (list, network, reason, expires_at, "
                    + "approved_by) values (?, ?::cidr, ?, ?, ?) on conflict (list, network) do update set "
                    + "reason = excluded.reason, expires_at = excluded.expires_at, approved_by = excluded.approved_by, "
                    + "approved_at = now() returning (xmax = 0) as inserted")) {
                bind(s, network, reason, expires, approvedBy);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getBoolean(1)) {
                        newListings.listed(c, network, approvedBy);
                    }
                }
            }
            record(c, "add", network, approvedBy, reason, expires);
            return null;
        });
    }

    /**
     * A rule's approval: lists the network only if it is not listed already (two instances applying the rule to
     * the same address at once list it once). Returns whether it was newly listed.
     */
    public boolean approveByRule(String network, String rule, String reason, Instant expires) throws SQLException {
        return db.transaction(c -> {
            if (Allowlist.covering(c, network).isPresent()) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("insert into listed (list, network, reason, expires_at, "
                    + "approved_by) values (?, ?::cidr, ?, ?, ?) on conflict (list, network) do nothing")) {
                bind(s, network, reason, expires, rule);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            newListings.listed(c, network, rule);
            record(c, "add", network, rule, reason, expires);
            return true;
        });
    }

    /** Takes a network off the list. Returns whether it was listed. */
    public boolean remove(String network, String removedBy, String reason) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("delete from listed where list = ? and network = ?::cidr")) {
                s.setString(1, list);
                s.setString(2, network);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "insert into list_change (list, op, network, reason) values (?, 'remove', ?::cidr, ?)")) {
                s.setString(1, list);
                s.setString(2, network);
                s.setString(3, reason + " (" + removedBy + ")");
                s.executeUpdate();
            }
            return true;
        });
    }

    private void bind(PreparedStatement s, String network, String reason, Instant expires, String by)
            throws SQLException {
        s.setString(1, list);
        s.setString(2, network);
        s.setString(3, reason);
        setInstant(s, 4, expires);
        s.setString(5, by);
    }

    private void record(Connection c, String op, String network, String by, String reason, Instant expires)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into approval (list, network, reason, expires_at, "
                + "approved_by) values (?, ?::cidr, ?, ?, ?)")) {
            bind(s, network, reason, expires, by);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("insert into list_change (list, network, reason, expires_at, "
                + "op) values (?, ?::cidr, ?, ?, ?)")) {
            bind(s, network, reason, expires, op);
            s.executeUpdate();
        }
    }

    private static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
        if (instant == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setTimestamp(index, Timestamp.from(instant));
        }
    }
}
