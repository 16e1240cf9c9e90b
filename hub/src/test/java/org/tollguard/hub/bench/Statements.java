package org.tollguard.hub.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.tollguard.hub.config.DatabaseConfig;

/**
 * What PostgreSQL spent its time on during a part of a benchmark, from pg_stat_statements (the benchmark's
 * cluster preloads it): calls, mean and max execution time, and the share of the total, per statement.
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

    private static Connection connect(DatabaseConfig database) throws SQLException {
        return DriverManager.getConnection(database.url(), "postgres", "");
    }
}
