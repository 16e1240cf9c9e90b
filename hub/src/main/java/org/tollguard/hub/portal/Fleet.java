package org.tollguard.hub.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tollguard.hub.db.Database;
import org.tollguard.protocol.Heartbeat;
import org.tollguard.protocol.ProtocolJson;

/**
 * The fleet view's data: each agent's newest heartbeat, whether it is down (silent for {@link #DOWN_AFTER}), and
 * the alerts of a site. {@link #markDown} runs in the hub's background loop; an outage raises one alert.
 */
public final class Fleet {
    public static final Duration DOWN_AFTER = Duration.ofMinutes(2);

    private final Database db;
    private final Clock clock;

    public Fleet(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(long agentId, long siteId, Heartbeat beat) throws SQLException {
        String body;
        try {
            body = ProtocolJson.mapper().writeValueAsString(beat);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store a heartbeat", e);
        }
        Instant now = clock.instant();
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("insert into heartbeat (agent_id, site_id, received_at, body) "
                    + "values (?, ?, ?, ?::jsonb) on conflict (agent_id) do update set received_at = excluded.received_at, "
                    + "body = excluded.body")) {
                s.setLong(1, agentId);
                s.setLong(2, siteId);
                s.setTimestamp(3, Timestamp.from(now));
                s.setString(4, body);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "update agent set down_since = null where id = ? and down_since is not null returning id")) {
                s.setLong(1, agentId);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        alert(c, siteId, now, "agent-up", "agent " + agentId + " is heard from again");
                    }
                }
            }
            return null;
        });
    }

    /** Marks agents silent for two minutes as down, with one alert per outage. Returns how many went down now. */
    public int markDown() throws SQLException {
        Instant now = clock.instant();
        return db.transaction(c -> {
            List<long[]> down = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("update agent set down_since = ? where revoked_at is null "
                    + "and down_since is null and coalesce(last_seen_at, enrolled_at) < ? returning id, site_id")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setTimestamp(2, Timestamp.from(now.minus(DOWN_AFTER)));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        down.add(new long[] {r.getLong(1), r.getLong(2)});
                    }
                }
            }
            for (long[] agent : down) {
                alert(c, agent[1], now, "agent-down", "agent " + agent[0] + " not heard from for "
                        + DOWN_AFTER.toMinutes() + " minutes: it shows as down");
            }
            return down.size();
        });
    }

    public void alert(long siteId, String kind, String text) throws SQLException {
        db.transaction(c -> {
            alert(c, siteId, clock.instant(), kind, text);
            return null;
        });
    }

    private static void alert(Connection c, long siteId, Instant at, String kind, String text) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into fleet_alert (site_id, at, kind, text) values (?, ?, ?, ?)")) {
            s.setLong(1, siteId);
            s.setTimestamp(2, Timestamp.from(at));
            s.setString(3, kind);
            s.setString(4, text);
            s.executeUpdate();
        }
    }

    /** The site's agent as the portal shows it: its last heartbeat (if any) and whether it is up. */
    public Optional<SiteHealth> health(long siteId) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select a.id, a.last_seen_at, a.down_since, h.received_at, h.body "
                     + "from agent a left join heartbeat h on h.agent_id = a.id where a.site_id = ? and a.revoked_at is null "
                     + "order by a.id desc limit 1")) {
            s.setLong(1, siteId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Timestamp lastSeen = r.getTimestamp(2);
                Timestamp received = r.getTimestamp(4);
                Heartbeat beat = null;
                if (r.getString(5) != null) {
                    try {
                        beat = ProtocolJson.mapper().readValue(r.getString(5), Heartbeat.class);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("stored heartbeat of agent " + r.getLong(1) + " is unreadable", e);
                    }
                }
                Instant seen = lastSeen == null ? null : lastSeen.toInstant();
                boolean up = seen != null && seen.isAfter(clock.instant().minus(DOWN_AFTER));
                return Optional.of(new SiteHealth(r.getLong(1), seen, received == null ? null : received.toInstant(),
                        up, beat));
            }
        }
    }

    public List<FleetAlert> alerts(long siteId, int limit) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select at, kind, text from fleet_alert where site_id = ? order by at desc, id desc limit ?")) {
            s.setLong(1, siteId);
            s.setInt(2, limit);
            List<FleetAlert> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new FleetAlert(r.getTimestamp(1).toInstant(), r.getString(2), r.getString(3)));
                }
            }
            return out;
        }
    }

    public record SiteHealth(long agentId, Instant lastSeen, Instant heartbeatAt, boolean up, Heartbeat heartbeat) {}

    public record FleetAlert(Instant at, String kind, String text) {}
}
