package org.tollguard.config;

import java.nio.file.Path;

/** {@code store:} where the SQLite database lives. */
public record StoreConfig(Path path) {
    public static final Path DEFAULT_PATH = Path.of("/var/lib/tollguard/tollguard.db");

    public StoreConfig {
        path = path == null ? DEFAULT_PATH : path;
    }

    public static StoreConfig defaults() {
        return new StoreConfig(null);
    }
}
