package org.tollguard.hub.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Bearer tokens of the admin API. Only the SHA-256 is stored (the token is 256 random bits). */
public final class AdminTokens {
    private final DataSource db;

    public AdminTokens(DataSource db) {
        this.db = db;
    }

    /** Creates a token and returns it: the only time it is shown. */
    public String create(String name) {
        String token = Tokens.random("tgadm_");
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO admin_api_token (name, token_sha256) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            s.setString(1, name);
            s.setString(2, Tokens.sha256(token));
            if (s.executeUpdate() == 0) {
                throw new IllegalArgumentException("an admin API token named '" + name + "' exists already");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create admin API token " + name + ": " + e.getMessage(), e);
        }
        return token;
    }

    /** The name of the token, when it is known and not revoked; the audit log names API callers by it. */
    public Optional<String> check(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT name FROM admin_api_token WHERE token_sha256 = ? AND revoked IS NULL")) {
            s.setString(1, Tokens.sha256(token));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check an admin API token: " + e.getMessage(), e);
        }
    }

    public void revoke(String name) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "UPDATE admin_api_token SET revoked = now() WHERE name = ? AND revoked IS NULL")) {
            s.setString(1, name);
            if (s.executeUpdate() == 0) {
                throw new IllegalArgumentException("no live admin API token named '" + name + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke admin API token " + name + ": " + e.getMessage(), e);
        }
    }
}
