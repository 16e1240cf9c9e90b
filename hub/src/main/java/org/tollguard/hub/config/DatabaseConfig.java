package org.tollguard.hub.config;

import org.tollguard.yamlconfig.Checks;
import org.tollguard.yamlconfig.Secret;

/** {@code database:} the PostgreSQL every hub instance shares (all hub state lives there). */
public record DatabaseConfig(String url, String user, Secret password, Integer poolSize) {
    public DatabaseConfig {
        url = url == null ? "jdbc:postgresql://localhost:5432/tollguard_hub" : url;
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("url: must start with jdbc:postgresql:// (e.g. jdbc:postgresql://localhost:5432/tollguard_hub)");
        }
        user = user == null ? "tollguard_hub" : user;
        password = password == null ? Secret.of("") : password;
        poolSize = poolSize == null ? 10 : poolSize;
        Checks.atLeast("pool-size", poolSize, 2);
    }

    public static DatabaseConfig defaults() {
        return new DatabaseConfig(null, null, null, null);
    }
}
