package org.tollguard.hub.enroll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tollguard.hub.db.Database;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.EnrollResponse;
import org.tollguard.protocol.ProtocolJson;

/** Sites, their one-time enrollment tokens, and the agents' own credentials. */
public final class Enrollment {
    private final Database db;
    private final double initialRateTokens;

    public Enrollment(Database db, double initialRateTokens) {
        this.db = db;
        this.initialRateTokens = initialRateTokens;
    }

    /**
     * A one-time token for an agent of {@code site} (created, with its operator, if new). A site that exists
     * must belong to {@code operator}.
     */
    public String createToken(String site, String operator, String createdBy, Instant expires)
            throws SQLException, EnrollmentRefused {
        String token = Secrets.create(Secrets.TOKEN_PREFIX);
        db.transaction(c -> {
            long siteId = siteOf(c, site, operator);
            try (PreparedStatement s = c.prepareStatement(
                    "insert into enrollment_token (site_id, token_hash, created_by, expires_at) values (?, ?, ?, ?)")) {
                s.setLong(1, siteId);
                s.setBytes(2, Secrets.hash(token));
                s.setString(3, createdBy);
                s.setTimestamp(4, Timestamp.from(expires));
                s.executeUpdate();
            }
            return null;
        });
        return token;
    }

    private static long siteOf(Connection c, String site, String operator) throws SQLException, EnrollmentRefused {
        try (PreparedStatement s = c.prepareStatement(
                "insert into operator (name) values (?) on conflict (name) do nothing")) {
            s.setString(1, operator);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("insert into site (operator_id, name) "
                + "select id, ? from operator where name = ? on conflict (name) do nothing")) {
            s.setString(1, site);
            s.setString(2, operator);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "select s.id, o.name from site s join operator o on o.id = s.operator_id where s.name = ?")) {
            s.setString(1, site);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (!r.getString(2).equals(operator)) {
                    throw new EnrollmentRefused("site " + site + " belongs to operator " + r.getString(2)
                            + ", not " + operator);
                }
                return r.getLong(1);
            }
        }
    }

    /** Exchanges a token for a new agent's credential; the token is used up in the same transaction. */
    public EnrollResponse exchange(EnrollRequest request, Instant now, String list, List<String> publicKeys)
            throws SQLException, EnrollmentRefused {
        if (request.token() == null || request.token().isBlank()) {
            throw new EnrollmentRefused("no enrollment token");
        }
        String credential = Secrets.create(Secrets.CREDENTIAL_PREFIX);
        return db.transaction(c -> {
            long tokenId;
            long siteId;
            String site;
            try (PreparedStatement s = c.prepareStatement("select t.id, t.site_id, s.name, t.used_at, t.expires_at "
                    + "from enrollment_token t join site s on s.id = t.site_id where t.token_hash = ? for update of t")) {
                s.setBytes(1, Secrets.hash(request.token()));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new EnrollmentRefused("unknown enrollment token");
                    }
                    if (r.getTimestamp(4) != null) {
                        throw new EnrollmentRefused("this enrollment token was used already, at "
                                + r.getTimestamp(4).toInstant() + "; create a new one (tollguard-hub enroll)");
                    }
                    if (!r.getTimestamp(5).toInstant().isAfter(now)) {
                        throw new EnrollmentRefused("this enrollment token expired at " + r.getTimestamp(5).toInstant());
                    }
                    tokenId = r.getLong(1);
                    siteId = r.getLong(2);
                    site = r.getString(3);
                }
            }
            long agentId;
            try (PreparedStatement s = c.prepareStatement("insert into agent (site_id, credential_hash, hostname, "
                    + "agent_version, rate_tokens) values (?, ?, ?, ?, ?) returning id")) {
                s.setLong(1, siteId);
                s.setBytes(2, Secrets.hash(credential));
                s.setString(3, request.hostname());
                s.setString(4, request.agentVersion());
                s.setDouble(5, initialRateTokens);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    agentId = r.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "update enrollment_token set used_at = ?, agent_id = ? where id = ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setLong(2, agentId);
                s.setLong(3, tokenId);
                s.executeUpdate();
            }
            return new EnrollResponse(ProtocolJson.VERSION, Long.toString(agentId), site, credential, list, publicKeys);
        });
    }

    /** The agent a bearer credential belongs to, unless it is unknown or revoked. */
    public Optional<AgentIdentity> authenticate(String credential) throws SQLException {
        if (credential == null || !credential.startsWith(Secrets.CREDENTIAL_PREFIX)) {
            return Optional.empty();
        }
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select a.id, a.site_id, s.name from agent a "
                     + "join site s on s.id = a.site_id where a.credential_hash = ? and a.revoked_at is null")) {
            s.setBytes(1, Secrets.hash(credential));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new AgentIdentity(r.getLong(1), r.getLong(2), r.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** Heartbeat placeholder (issue 15): when the agent was last heard from. */
    public void seen(AgentIdentity agent, Instant now, String agentVersion) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "update agent set last_seen_at = ?, agent_version = coalesce(?, agent_version) where id = ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, agentVersion);
            s.setLong(3, agent.agentId());
            s.executeUpdate();
        }
    }
}
