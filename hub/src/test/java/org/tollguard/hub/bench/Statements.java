package org.tollguard.hub.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.tollguard.hub.config.DatabaseConfig;

/**
 * What PostgreSQL spent its time on during a part of a benchmark, from pg_stat_statements (the benchmark's
 * cluster preloads it): calls, mean and max execution time, and the share of the total, per statement; and what
 * PostgreSQL did meanwhile besides statements (checkpoints, autovacuum), which shows in a latency tail.
 */
final class Statements {
    private final DatabaseConfig database;

    private Statements(DatabaseConfig database) {
        this.database = database;
    }

    /** Starts counting from now. */
    static Statements reset(DatabaseConfig database) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.execute("select pg_stat_statements_reset()");
            s.execute("select pg_stat_reset_shared('bgwriter')");
            s.execute("select pg_stat_reset()");
        }
        return new Statements(database);
    }

    void print(String part, int top) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select calls, mean_exec_time, max_exec_time, total_exec_time, "
                     + "100 * total_exec_time / sum(total_exec_time) over (), "
                     + "regexp_replace(query, '\\s+', ' ', 'g') from pg_stat_statements "
                     + "where dbid = (select oid from pg_database where datname = current_database()) "
                     + "order by total_exec_time desc limit " + top)) {
            System.out.printf("%s: statements by total execution time (calls, mean ms, max ms, total s, share):%n",
                    part);
            while (r.next()) {
                String query = r.getString(6);
                System.out.printf("  %7d %8.2f %8.1f %7.1f %4.0f%%  %s%n", r.getLong(1), r.getDouble(2),
                        r.getDouble(3), r.getDouble(4) / 1000, r.getDouble(5),
                        query.length() > 150 ? query.substring(0, 150) + "..." : query);
            }
        }
    }

    /** Checkpoints and autovacuum runs since {@link #reset}. */
    void printHousekeeping(String part) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select checkpoints_timed, checkpoints_req, checkpoint_write_time, "
                    + "checkpoint_sync_time, buffers_checkpoint from pg_stat_bgwriter")) {
                r.next();
                System.out.printf("%s: checkpoints timed %d, requested (WAL full) %d; writing %.1f s, syncing %.1f s, "
                        + "%d buffers%n", part, r.getLong(1), r.getLong(2), r.getDouble(3) / 1000,
                        r.getDouble(4) / 1000, r.getLong(5));
            }
            try (ResultSet r = s.executeQuery("select relname, autovacuum_count, autoanalyze_count from "
                    + "pg_stat_user_tables where autovacuum_count + autoanalyze_count > 0 order by relname")) {
                StringBuilder runs = new StringBuilder();
                while (r.next()) {
                    runs.append(String.format(" %s (vacuum %d, analyze %d)", r.getString(1), r.getLong(2), r.getLong(3)));
                }
                System.out.printf("%s: autovacuum:%s%n", part, runs.length() == 0 ? " none" : runs);
            }
        }
    }

    private static Connection connect(DatabaseConfig database) throws SQLException {
        return DriverManager.getConnection(database.url(), "postgres", "");
    }
}
