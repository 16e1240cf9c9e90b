package org.tollguard.hub.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sessions live in PostgreSQL, so any hub instance serves any logged-in browser and a killed instance loses none.
 * A session ends after {@code idle} without a request or {@code maxAge} after login, whichever comes first.
 */
public final class Sessions {
    /** last_seen is written at most this often per session, not on every page view */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private final DataSource db;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;

    public Sessions(DataSource db, Clock clock, Duration idle, Duration maxAge) {
        this.db = db;
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
    }

    /** The new session's cookie value: the only copy of the token, shown to the browser once. */
    public String open(User user) {
        String token = Tokens.random("tgs_");
        Instant now = clock.instant();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO web_session (token_sha256, user_id, csrf_token, created, last_seen, expires) "
                             + "VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, Tokens.sha256(token));
            s.setLong(2, user.id());
            s.setString(3, Tokens.random(""));
            s.setTimestamp(4, Timestamp.from(now));
            s.setTimestamp(5, Timestamp.from(now));
            s.setTimestamp(6, Timestamp.from(now.plus(maxAge)));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a session for " + user.username() + ": " + e.getMessage(), e);
        }
        return token;
    }

    /** The live session of this cookie value; an expired one is deleted and not returned. */
    public Optional<WebSession> find(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String hash = Tokens.sha256(token);
        Instant now = clock.instant();
        try (Connection c = db.getConnection()) {
            WebSession session;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT u.id, u.username, u.role, u.disabled, s.csrf_token, s.last_seen, s.expires "
                            + "FROM web_session s JOIN web_user u ON u.id = s.user_id WHERE s.token_sha256 = ?")) {
                s.setString(1, hash);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    User user = new User(r.getLong(1), r.getString(2), UserRole.parse(r.getString(3)), r.getBoolean(4));
                    session = new WebSession(hash, user, r.getString(5), r.getTimestamp(6).toInstant(),
                            r.getTimestamp(7).toInstant());
                }
            }
            if (session.user().disabled() || !now.isBefore(session.expires())
                    || !now.isBefore(session.lastSeen().plus(idle))) {
                delete(c, hash);
                return Optional.empty();
            }
            if (!now.isBefore(session.lastSeen().plus(TOUCH_EVERY))) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE web_session SET last_seen = ? WHERE token_sha256 = ?")) {
                    s.setTimestamp(1, Timestamp.from(now));
                    s.setString(2, hash);
                    s.executeUpdate();
                }
            }
            return Optional.of(session);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a session: " + e.getMessage(), e);
        }
    }

    public void close(String token) {
        if (token == null) {
            return;
        }
        try (Connection c = db.getConnection()) {
            delete(c, Tokens.sha256(token));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot end a session: " + e.getMessage(), e);
        }
    }

    /** Removes sessions that ended; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "DELETE FROM web_session WHERE expires <= ? OR last_seen <= ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setTimestamp(2, Timestamp.from(now.minus(idle)));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge sessions: " + e.getMessage(), e);
        }
    }

    public Duration maxAge() {
        return maxAge;
    }

    private static void delete(Connection c, String hash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM web_session WHERE token_sha256 = ?")) {
            s.setString(1, hash);
            s.executeUpdate();
        }
    }
}
