package org.tollguard.hub.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.tollguard.hub.config.DatabaseConfig;

/**
 * The hub's PostgreSQL: a HikariCP pool, the schema brought up to date by Flyway at start (several instances
 * starting at once take turns through Flyway's lock), and transactions.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    public static Database open(DatabaseConfig config) throws SQLException {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        if (!config.password().isEmpty()) {
            hikari.setPassword(config.password().value());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("hub-db");
        hikari.setAutoCommit(true);
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new SQLException("cannot connect to " + config.url() + " as " + config.user() + ": "
                    + rootMessage(e), e);
        }
        try {
            // db/hub, not Flyway's default db/migration: the agent's SQLite migrations live there, and a JVM with
            // both on its class path (the system tests) must not mix the two schemas
            Flyway.configure().dataSource(pool).locations("classpath:db/hub").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new SQLException("cannot bring the schema up to date: " + rootMessage(e), e);
        }
        return new Database(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T, E extends Exception> T transaction(Work<T, E> work) throws E, SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run(Connection c) throws E, SQLException;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
