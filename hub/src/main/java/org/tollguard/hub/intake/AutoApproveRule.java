package org.tollguard.hub.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;

/**
 * Until the review queue exists: an address reported by N distinct sites within a window is listed, recorded as
 * approved by this rule. Runs after the reports are committed, so each instance sees the others' reports.
 */
final class AutoApproveRule {
    private static final Logger log = LoggerFactory.getLogger(AutoApproveRule.class);

    private final AutoApproveConfig config;
    private final Database db;
    private final Approvals approvals;
    private final Clock clock;

    AutoApproveRule(AutoApproveConfig config, Database db, Approvals approvals, Clock clock) {
        this.config = config;
        this.db = db;
        this.approvals = approvals;
        this.clock = clock;
    }

    void consider(Collection<String> addresses) throws SQLException {
        if (!config.enabled() || addresses.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Integer> due : reportedEnough(addresses).entrySet()) {
            if (approvals.approveByRule(due.getKey(), config.ruleName(), "reported by " + due.getValue() + " sites",
                    clock.instant().plus(config.listedFor()))) {
                log.info("{} listed by {}: reported by {} sites", due.getKey(), config.ruleName(), due.getValue());
            }
        }
    }

    /** Of {@code addresses}, those not listed yet that enough sites reported within the window (one query). */
    private Map<String, Integer> reportedEnough(Collection<String> addresses) throws SQLException {
        Map<String, Integer> due = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select host(r.address), count(distinct r.site_id) from report r "
                     + "where r.address = any(?::inet[]) and r.received_at > now() - make_interval(secs => ?) "
                     + "and not exists (select 1 from listed l where l.list = ? and l.network = r.address::cidr) "
                     + "group by r.address having count(distinct r.site_id) >= ?")) {
            s.setArray(1, c.createArrayOf("text", addresses.toArray()));
            s.setDouble(2, config.window().toSeconds());
            s.setString(3, approvals.list());
            s.setInt(4, config.sites());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    due.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return due;
    }
}
