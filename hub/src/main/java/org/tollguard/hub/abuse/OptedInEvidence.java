package org.tollguard.hub.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollguard.hub.db.Database;

/**
 * The reports of the last {@code window} behind a listed network, from the operators who opted in to abuse
 * reports only: the others' evidence is never sent anywhere.
 */
public final class OptedInEvidence {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** At most this many bans per address go into a report. */
    static final int MAX_BANS = 100;

    private final Database db;
    private final Duration window;
    private final Clock clock;

    public OptedInEvidence(Database db, Duration window, Clock clock) {
        this.db = db;
        this.window = window;
        this.clock = clock;
    }

    /** Every reported address in {@code network} with its opted-in evidence; empty when nobody who opted in reported it. */
    public List<AddressEvidence> of(String network) throws SQLException {
        String sql = "SELECT host(r.address), r.banned_at, r.evidence::text, s.operator_id, r.site_id FROM report r "
                + "JOIN site s ON s.id = r.site_id JOIN operator o ON o.id = s.operator_id "
                + "WHERE r.address <<= ?::cidr AND o.abuse_reports AND r.received_at > ? "
                + "ORDER BY r.address, r.banned_at";
        Map<String, List<AddressEvidence.Ban>> bans = new LinkedHashMap<>();
        Map<String, Set<Long>> operators = new LinkedHashMap<>();
        Map<String, Set<Long>> sites = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, network);
            s.setTimestamp(2, Timestamp.from(clock.instant().minus(window)));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String address = r.getString(1);
                    operators.computeIfAbsent(address, a -> new HashSet<>()).add(r.getLong(4));
                    sites.computeIfAbsent(address, a -> new HashSet<>()).add(r.getLong(5));
                    List<AddressEvidence.Ban> list = bans.computeIfAbsent(address, a -> new ArrayList<>());
                    if (list.size() < MAX_BANS) {
                        list.add(ban(r.getTimestamp(2).toInstant(), r.getString(3)));
                    }
                }
            }
        }
        List<AddressEvidence> result = new ArrayList<>();
        bans.forEach((address, list) -> result.add(new AddressEvidence(address, operators.get(address).size(),
                sites.get(address).size(), List.copyOf(list))));
        return result;
    }

    private static AddressEvidence.Ban ban(Instant bannedAt, String evidence) {
        JsonNode e;
        try {
            e = JSON.readTree(evidence);
        } catch (IOException stored) {
            throw new IllegalStateException("a stored report is not JSON: " + stored.getMessage(), stored);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        e.path("counts").fields().forEachRemaining(f -> counts.put(f.getKey(), f.getValue().asInt()));
        List<String> agents = new ArrayList<>();
        e.path("user-agents").forEach(a -> agents.add(a.asText()));
        return new AddressEvidence.Ban(bannedAt, instant(e, "first-seen", bannedAt), instant(e, "last-seen", bannedAt),
                e.path("service").asText(null), e.path("transport").asText(null), counts,
                e.path("account-count").asInt(0), agents);
    }

    private static Instant instant(JsonNode e, String field, Instant otherwise) {
        String text = e.path(field).asText(null);
        try {
            return text == null ? otherwise : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException bad) {
            return otherwise;
        }
    }
}
