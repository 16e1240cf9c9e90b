package org.tollguard.config;

/** The whole configuration file. Every section is optional and has documented defaults. */
public record TollguardConfig(LogConfig log, StoreConfig store, NumbersConfig numbers) {
    public TollguardConfig {
        log = log == null ? LogConfig.defaults() : log;
        store = store == null ? StoreConfig.defaults() : store;
        numbers = numbers == null ? NumbersConfig.defaults() : numbers;
    }

    public static TollguardConfig defaults() {
        return new TollguardConfig(null, null, null);
    }
}
