package org.tollguard.hub.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.tollguard.hub.web.ReviewWeb;
import org.tollguard.hub.web.WebSettings;

/** The review pages on a real PostgreSQL, served by Javalin on a free loopback port. */
public final class ReviewTestHub implements AutoCloseable {
    public static final WebSettings SETTINGS = new WebSettings(4, Duration.ofMinutes(30), Duration.ofHours(12), false);

    private final PostgresCluster postgres;
    private final HikariDataSource db;
    private final Javalin app;

    private ReviewTestHub(PostgresCluster postgres, HikariDataSource db, Javalin app) {
        this.postgres = postgres;
        this.db = db;
        this.app = app;
    }

    public static ReviewTestHub start(Clock clock) {
        PostgresCluster postgres = PostgresCluster.start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setMaximumPoolSize(4);
        HikariDataSource db = new HikariDataSource(config);
        Flyway.configure().dataSource(db).load().migrate();
        ReviewWeb web = new ReviewWeb(db, SETTINGS, clock);
        Javalin app = Javalin.create(c -> {
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            web.register(c);
        }).start();
        return new ReviewTestHub(postgres, db, app);
    }

    public HikariDataSource db() {
        return db;
    }

    public String url() {
        return "http://127.0.0.1:" + app.port();
    }

    @Override
    public void close() {
        app.stop();
        db.close();
        postgres.close();
    }
}
