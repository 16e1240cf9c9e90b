package org.tollguard.hub.review;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.listing.Networks;

/**
 * A reviewer's (or the admin API's) decisions: approve lists through the hub's {@link Approvals} (so the next
 * generation publishes it), reject keeps an address out of the queue until it is reported again, delist takes it
 * off the published list. Each adjusts the reporters' trust and writes the audit log with who and why.
 */
public final class Decisions {
    private final Database db;
    private final Approvals approvals;
    private final Duration window;
    private final Duration listedFor;
    private final Clock clock;

    public Decisions(Database db, Approvals approvals, Duration window, Duration listedFor, Clock clock) {
        this.db = db;
        this.approvals = approvals;
        this.window = window;
        this.listedFor = listedFor;
        this.clock = clock;
    }

    public DecisionResult approve(List<String> addresses, String actor, String reason) throws SQLException {
        requireReason(reason);
        int listed = 0;
        List<String> skipped = new ArrayList<>();
        for (String address : addresses) {
            try {
                approvals.approve(address, actor, reason, clock.instant().plus(listedFor));
            } catch (IllegalArgumentException allowlisted) {
                skipped.add(allowlisted.getMessage());
                continue;
            }
            db.transaction(c -> {
                decide(c, address, "approved", actor, reason);
                ReporterTrust.adjust(c, address, window, 1, 0);
                AuditLog.record(c, actor, "approved", address, reason, "listed for " + listedFor.toDays() + " days");
                return null;
            });
            listed++;
        }
        return new DecisionResult(listed, skipped);
    }

    public DecisionResult reject(List<String> addresses, String actor, String reason) throws SQLException {
        requireReason(reason);
        int rejected = 0;
        for (String address : addresses) {
            db.transaction(c -> {
                decide(c, address, "rejected", actor, reason);
                ReporterTrust.adjust(c, address, window, 0, 1);
                AuditLog.record(c, actor, "rejected", address, reason, null);
                return null;
            });
            rejected++;
        }
        return new DecisionResult(rejected, List.of());
    }

    /**
     * Takes networks off the published list at once (the next generation removes them) and counts a rejection
     * against their reporters, taking back the approval they had earned.
     */
    public DecisionResult delist(List<String> networks, String actor, String reason) throws SQLException {
        requireReason(reason);
        int removed = 0;
        List<String> skipped = new ArrayList<>();
        for (String network : networks) {
            String problem = Networks.problem(network);
            if (problem != null) {
                skipped.add(problem);
                continue;
            }
            if (!approvals.remove(network, actor, "delisted: " + reason)) {
                skipped.add(network + ": not listed");
                continue;
            }
            db.transaction(c -> {
                decide(c, network, "delisted", actor, reason);
                ReporterTrust.adjust(c, network, window, -1, 1);
                AuditLog.record(c, actor, "delisted", network, reason, null);
                return null;
            });
            removed++;
        }
        return new DecisionResult(removed, skipped);
    }

    private static void decide(java.sql.Connection c, String address, String decision, String actor, String reason)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO candidate_decision (address, decision, decided_by, "
                + "decided_at, reason) VALUES (?::inet, ?, ?, now(), ?) ON CONFLICT (address) DO UPDATE SET "
                + "decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at, "
                + "reason = excluded.reason")) {
            s.setString(1, address);
            s.setString(2, decision);
            s.setString(3, actor);
            s.setString(4, reason);
            s.executeUpdate();
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("give a reason: it goes into the audit log and, when delisting, "
                    + "into the published change");
        }
    }
}
