package org.tollguard.hub.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
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
        if (!config.enabled()) {
            return;
        }
        for (String address : addresses) {
            int sites = sitesReporting(address);
            if (sites >= config.sites() && approvals.approveByRule(address, config.ruleName(),
                    "reported by " + sites + " sites", clock.instant().plus(config.listedFor()))) {
                log.info("{} listed by {}: reported by {} sites", address, config.ruleName(), sites);
            }
        }
    }

    private int sitesReporting(String address) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select count(distinct site_id) from report "
                     + "where address = ?::inet and received_at > now() - make_interval(secs => ?)")) {
            s.setString(1, address);
            s.setDouble(2, config.window().toSeconds());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
