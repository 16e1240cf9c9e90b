package org.tollguard.hub.support;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tollguard.hub.config.DatabaseConfig;

/**
 * A fresh database on the test JVM's throwaway PostgreSQL cluster ({@link PostgresCluster}) for every test:
 * {@code @RegisterExtension final PostgresExtension postgres = new PostgresExtension();}
 */
public final class PostgresExtension implements BeforeEachCallback {
    private DatabaseConfig database;

    @Override
    public void beforeEach(ExtensionContext context) {
        database = PostgresCluster.get().newDatabase();
    }

    public DatabaseConfig database() {
        return database;
    }
}
