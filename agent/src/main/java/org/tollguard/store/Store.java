package org.tollguard.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The agent's SQLite database: opened in WAL mode, migrated by Flyway, and used through one connection that
 * callers borrow under a lock (SQLite serialises writers anyway; one connection keeps it simple and safe).
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    private final Path path;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Store(Path path, Connection connection) {
        this.path = path;
        this.connection = connection;
    }

    /** Opens (creating if needed) and migrates the database, or explains why it cannot. */
    public static Store open(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new StoreException("store " + path + ": directory " + dir + " does not exist", null);
        }
        if (Files.isDirectory(path)) {
            throw new StoreException("store " + path + ": is a directory, not a database file", null);
        }
        if (Files.exists(path) && !Files.isWritable(path)) {
            throw new StoreException("store " + path + ": file is read-only; the agent must be able to write it", null);
        }
        if (!Files.exists(path) && dir != null && !Files.isWritable(dir)) {
            throw new StoreException("store " + path + ": cannot create it, directory " + dir + " is read-only", null);
        }
        if (dir != null && !Files.isWritable(dir)) {
            // WAL mode keeps NAME-wal and NAME-shm next to the database and creates them on open
            throw new StoreException("store " + path + ": directory " + dir + " is read-only; the agent must be able"
                    + " to create " + path.getFileName() + "-wal and " + path.getFileName() + "-shm there", null);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + path);
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            checkIntegrity(path, connection);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            log.info("store opened path={}", path);
            return new Store(path, connection);
        } catch (SQLException | FlywayException e) {
            closeQuietly(connection);
            throw new StoreException(explain(path, e), e);
        } catch (StoreException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void checkIntegrity(Path path, Connection connection) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check(3)")) {
            while (rs.next()) {
                for (String line : rs.getString(1).split("\\R")) {
                    if (!line.isBlank() && !line.equals("ok") && !line.startsWith("*** in database")) {
                        problems.add(line.strip());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new StoreException("store " + path + ": database is corrupt (" + String.join("; ", problems)
                    + "); restore a backup or move it away to start with an empty store", null);
        }
    }

    private static String explain(Path path, Exception e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof SQLiteException s) {
                SQLiteErrorCode code = s.getResultCode();
                switch (code) {
                    case SQLITE_NOTADB:
                        return "store " + path + ": not a SQLite database (corrupt or another file); move it away to start with an empty store";
                    case SQLITE_CORRUPT:
                        return "store " + path + ": database is corrupt; restore a backup or move it away to start with an empty store";
                    case SQLITE_READONLY:
                        return "store " + path + ": database is read-only; the agent must be able to write it";
                    case SQLITE_CANTOPEN:
                        return "store " + path + ": cannot open the database file";
                    case SQLITE_FULL:
                        return "store " + path + ": disk full";
                    default:
                        break;
                }
            }
            t = t.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return "store " + path + ": " + message;
    }

    public Path path() {
        return path;
    }

    /** Runs {@code work} with the connection, in one transaction, holding the store lock. */
    public <T> T inTransaction(SqlWork<T> work) {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(explain(path, e), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!connection.isClosed()) {
                connection.close();
                log.info("store closed path={}", path);
            }
        } catch (SQLException e) {
            log.warn("store close failed path={} error={}", path, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the original error is what matters
            }
        }
    }

    /** Database work that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
