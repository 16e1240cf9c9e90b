package org.tollguard.config;

/** The whole configuration file. Every section is optional and has documented defaults. */
public record TollguardConfig(LogConfig log, StoreConfig store) {
    public TollguardConfig {
        log = log == null ? LogConfig.defaults() : log;
        store = store == null ? StoreConfig.defaults() : store;
    }

    public static TollguardConfig defaults() {
        return new TollguardConfig(null, null);
    }
}
