package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Networks;

/** The allowlist and canaries: nothing they cover is ever listed, by a reviewer or by a rule. */
public final class Allowlist {
    public static final Set<String> KINDS = Set.of("carrier", "provider", "network", "canary");

    private final Database db;

    public Allowlist(Database db) {
        this.db = db;
    }

    public List<AllowlistEntry> entries() {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, network::text, kind, note, added_by, added_at "
                     + "FROM allowlist ORDER BY kind = 'canary', network")) {
            List<AllowlistEntry> entries = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new AllowlistEntry(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getTimestamp(6).toInstant()));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the allowlist: " + e.getMessage(), e);
        }
    }

    /** Adds a network; a listed address it covers stays listed until delisted (the page says which). */
    public void add(String network, String kind, String note, String actor) throws SQLException {
        String problem = Networks.problem(network == null ? null : network.strip());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind '" + kind + "' is not one of " + KINDS);
        }
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("say what the network is (a note), so that others know why it is here");
        }
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO allowlist (network, kind, note, added_by) "
                    + "VALUES (network(?::inet), ?, ?, ?) ON CONFLICT (network) DO NOTHING")) {
                s.setString(1, network.strip());
                s.setString(2, kind);
                s.setString(3, note.strip());
                s.setString(4, actor);
                if (s.executeUpdate() == 0) {
                    throw new IllegalArgumentException(network.strip() + " is on the allowlist already");
                }
            }
            AuditLog.record(c, actor, "allowlist-added", network.strip(), note.strip(), "kind " + kind);
            return null;
        });
    }

    public void remove(long id, String actor) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM allowlist WHERE id = ? RETURNING network::text, kind")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalArgumentException("no allowlist entry " + id);
                    }
                    AuditLog.record(c, actor, "allowlist-removed", r.getString(1), null, "kind " + r.getString(2));
                }
            }
            return null;
        });
    }

    /** The entry covering or overlapping {@code network}, if any: such a network is never listed. */
    public static Optional<String> covering(Connection c, String network) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT network::text || ' (' || kind || ': ' || note || ')' FROM allowlist "
                        + "WHERE network && network(?::inet) LIMIT 1")) {
            s.setString(1, network);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }
}
