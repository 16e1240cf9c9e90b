package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.hub.db.Database;

/** The reports behind a candidate (an address or a block), newest first, as the agents sent them. */
public final class Evidence {
    private final Database db;

    public Evidence(Database db) {
        this.db = db;
    }

    public List<ReportLine> recent(String network, int limit) throws SQLException {
        String sql = "SELECT host(r.address), st.name, o.name, r.received_at, r.evidence->>'transport',"
                + " r.evidence->>'service', (r.evidence->'counts')::text,"
                + " coalesce(array_to_string(ARRAY(SELECT jsonb_array_elements_text(r.evidence->'accounts')), ', '),"
                + "   (r.evidence->>'account-count') || ' (names withheld)'),"
                + " array_to_string(ARRAY(SELECT jsonb_array_elements_text(coalesce(r.evidence->'user-agents', '[]'))), ', '),"
                + " r.evidence->>'reason'"
                + " FROM report r JOIN site st ON st.id = r.site_id JOIN operator o ON o.id = st.operator_id"
                + " WHERE r.address <<= network(?::inet) ORDER BY r.received_at DESC LIMIT ?";
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, network);
            s.setInt(2, limit);
            List<ReportLine> lines = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add(new ReportLine(r.getString(1), r.getString(2), r.getString(3),
                            r.getTimestamp(4).toInstant(), r.getString(5), r.getString(6), r.getString(7),
                            r.getString(8), r.getString(9), r.getString(10)));
                }
            }
            return lines;
        }
    }
}
