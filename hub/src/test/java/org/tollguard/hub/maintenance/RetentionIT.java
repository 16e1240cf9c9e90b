package org.tollguard.hub.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.support.PostgresExtension;

class RetentionIT {
    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();

    @Test
    void reportsOlderThanTheRetentionAndExpiredListingsGoTheRestStays() throws Exception {
        try (Database db = Database.open(postgres.database())) {
            new Enrollment(db, 10).createToken("acme", "acme", "test", Instant.now().plusSeconds(60));
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("insert into agent (site_id, credential_hash, rate_tokens) select id, 'x', 1 from site");
                s.execute("insert into report (agent_id, site_id, report_id, address, banned_at, received_at, evidence) "
                        + "select a.id, a.site_id, 'r' || g, '203.0.113.1', now(), now() - (g || ' days')::interval, '{}' "
                        + "from agent a, generate_series(0, 99) g");
            }
            Approvals approvals = new Approvals(db, "community");
            approvals.approve("203.0.113.1", "operator:test", null, Instant.now().minusSeconds(1));
            approvals.approve("203.0.113.2", "operator:test", null, Instant.now().plusSeconds(3600));
            approvals.approve("203.0.113.3", "operator:test", null, null);

            int deleted = new Retention(db, Duration.ofDays(30), "community", Clock.systemUTC()).run();
            assertEquals(70, deleted, "reports received 30 to 99 days ago");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                ResultSet r = s.executeQuery("select count(*), max(now() - received_at) < interval '30 days' from report");
                r.next();
                assertEquals(30, r.getInt(1));
                assertEquals(true, r.getBoolean(2));
                r = s.executeQuery("select string_agg(host(network), ',' order by network) from listed");
                r.next();
                assertEquals("203.0.113.2,203.0.113.3", r.getString(1));
            }
        }
    }
}
