package org.tollguard.hub.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.tollguard.hub.portal.TenantScope;

/** The people who log in: bcrypt hashes, roles, and a lock after repeated wrong passwords. */
public final class Users {
    static final int FAILURES_BEFORE_LOCK = 10;
    static final Duration LOCK = Duration.ofMinutes(15);
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    private final DataSource db;
    private final PasswordHasher hasher;
    private final Clock clock;

    public Users(DataSource db, PasswordHasher hasher, Clock clock) {
        this.db = db;
        this.hasher = hasher;
        this.clock = clock;
    }

    public User create(String username, String password, UserRole role) {
        return create(username, password, role, null, null);
    }

    /** A portal user belongs to one reseller or one customer (operator); a reviewer or admin to neither. */
    public User create(String username, String password, UserRole role, Long resellerId, Long customerId) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("user name '" + username
                    + "' is not valid: lower-case letters, digits and . _ @ -, at most 64 characters");
        }
        if ((role == UserRole.RESELLER) != (resellerId != null) || (role == UserRole.CUSTOMER) != (customerId != null)) {
            throw new IllegalArgumentException("a " + role.dbName() + " user "
                    + (role == UserRole.RESELLER ? "belongs to a reseller" : role == UserRole.CUSTOMER
                    ? "belongs to a customer" : "belongs to no reseller or customer") + ": add it in the portal");
        }
        PasswordHasher.checkAcceptable(password);
        String hash = hasher.hash(password.toCharArray());
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO web_user (username, password_hash, role, reseller_id, operator_id) "
                             + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING id")) {
            s.setString(1, username);
            s.setString(2, hash);
            s.setString(3, role.dbName());
            s.setObject(4, resellerId, java.sql.Types.BIGINT);
            s.setObject(5, customerId, java.sql.Types.BIGINT);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("user '" + username + "' exists already");
                }
                return new User(r.getLong(1), username, role, false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create user " + username + ": " + e.getMessage(), e);
        }
    }

    /** The user, if the password is right and the user is neither disabled nor locked. */
    public Optional<User> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, password_hash, role, disabled, failed_logins, locked_until FROM web_user "
                            + "WHERE username = ? FOR UPDATE")) {
                s.setString(1, username);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        hasher.verifyNothing(password.toCharArray());
                        return Optional.empty();
                    }
                    long id = r.getLong("id");
                    Timestamp lockedUntil = r.getTimestamp("locked_until");
                    boolean locked = lockedUntil != null && lockedUntil.toInstant().isAfter(clock.instant());
                    boolean right = hasher.verify(password.toCharArray(), r.getString("password_hash"));
                    if (locked || r.getBoolean("disabled")) {
                        c.commit();
                        return Optional.empty();
                    }
                    if (!right) {
                        recordFailure(c, id, r.getInt("failed_logins") + 1);
                        c.commit();
                        return Optional.empty();
                    }
                    try (PreparedStatement ok = c.prepareStatement(
                            "UPDATE web_user SET failed_logins = 0, locked_until = NULL WHERE id = ?")) {
                        ok.setLong(1, id);
                        ok.executeUpdate();
                    }
                    c.commit();
                    return Optional.of(new User(id, username, UserRole.parse(r.getString("role")), false));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the password of " + username + ": " + e.getMessage(), e);
        }
    }

    private void recordFailure(Connection c, long id, int failures) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE web_user SET failed_logins = ?, locked_until = ? WHERE id = ?")) {
            boolean lock = failures >= FAILURES_BEFORE_LOCK;
            s.setInt(1, lock ? 0 : failures);
            s.setTimestamp(2, lock ? Timestamp.from(clock.instant().plus(LOCK)) : null);
            s.setLong(3, id);
            s.executeUpdate();
        }
    }

    /** What a portal user may see; a hub admin sees every tenant. Reviewers have no place in the portal. */
    public TenantScope scope(User user) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT reseller_id, operator_id FROM web_user WHERE id = ?")) {
            s.setLong(1, user.id());
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    long reseller = r.getLong(1);
                    if (!r.wasNull()) {
                        return TenantScope.reseller(reseller);
                    }
                    long customer = r.getLong(2);
                    if (!r.wasNull()) {
                        return TenantScope.customer(customer);
                    }
                    if (user.role() == UserRole.ADMIN) {
                        return TenantScope.ALL;
                    }
                }
                throw new IllegalStateException(user.actor() + " belongs to no reseller or customer");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tenant of " + user.username() + ": " + e.getMessage(), e);
        }
    }

    public List<User> list() {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT id, username, role, disabled FROM web_user ORDER BY username");
             ResultSet r = s.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (r.next()) {
                users.add(new User(r.getLong(1), r.getString(2), UserRole.parse(r.getString(3)), r.getBoolean(4)));
            }
            return users;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list users: " + e.getMessage(), e);
        }
    }

    /** Disabling a user also ends all of that user's sessions at once. */
    public void setDisabled(String username, boolean disabled) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            long id;
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE web_user SET disabled = ? WHERE username = ? RETURNING id")) {
                s.setBoolean(1, disabled);
                s.setString(2, username);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalArgumentException("no user '" + username + "'");
                    }
                    id = r.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM web_session WHERE user_id = ?")) {
                s.setLong(1, id);
                s.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change user " + username + ": " + e.getMessage(), e);
        }
    }
}
