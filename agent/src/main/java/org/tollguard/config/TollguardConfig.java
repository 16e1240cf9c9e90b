package org.tollguard.config;

/** The whole configuration file. Every section is optional and has documented defaults. */
public record TollguardConfig(LogConfig log, StoreConfig store, FirewallConfig firewall) {
    public TollguardConfig {
        log = log == null ? LogConfig.defaults() : log;
        store = store == null ? StoreConfig.defaults() : store;
        firewall = firewall == null ? FirewallConfig.defaults() : firewall;
    }

    public static TollguardConfig defaults() {
        return new TollguardConfig(null, null, null);
    }
}
